/* practice-graph matrix view: cities x initiatives drawn on a canvas (only the cells in sight), a side-by-side
   comparison of two cities, and a presentation mode. Every data text is written with textContent or drawn on the
   canvas with fillText: nothing from the data ever becomes markup. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("mx-data").textContent);
  var UI = DATA.ui;
  var ROWS = DATA.rows, COLS = DATA.cols;
  var stage = document.getElementById("mx-stage");
  var canvas = document.getElementById("mx-canvas");
  var ctx = canvas.getContext("2d");
  var scroller = document.getElementById("mx-scroll");
  var sizer = document.getElementById("mx-sizer");
  var tip = document.getElementById("mx-tip");
  var panel = document.getElementById("mx-panel");
  var compareView = document.getElementById("mx-compare-view");
  var caption = document.getElementById("mx-caption");
  var search = document.getElementById("mx-search");
  var provinceBox = document.getElementById("mx-province");
  var minBox = document.getElementById("mx-min");
  var minValue = document.getElementById("mx-min-value");
  var pickA = document.getElementById("mx-a"), pickB = document.getElementById("mx-b");
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  // ---- the data, indexed

  var cellAt = {};
  var rowCells = ROWS.map(function () { return []; });
  var colCells = COLS.map(function () { return []; });
  DATA.cells.forEach(function (c, k) {
    cellAt[c[0] * COLS.length + c[1]] = k;
    rowCells[c[0]].push(k);
    colCells[c[1]].push(k);
  });
  var pairOf = {};
  DATA.pairs.forEach(function (p) { pairOf[p[0] + "|" + p[1]] = p; });

  // ---- state

  var state = {
    province: -1, min: 1, rows: [], cols: [], rowPos: {}, colPos: {},
    row: -1, col: -1, compare: null, presenting: false, step: -1, drawn: 0
  };
  var scale = 1;
  var fill = 18; // the cell size that fills the stage when the whole matrix fits (18 to 30 px), else 18
  function cell() { return Math.round(fill * scale); }
  function fitCells() {
    var w = stage.clientWidth - left() - 24, h = stage.clientHeight - top() - 24;
    var per = Math.floor(Math.min(w / Math.max(1, state.cols.length), h / Math.max(1, state.rows.length)) / scale);
    fill = Math.max(18, Math.min(30, per));
  }
  function left() { return Math.round(170 * scale); }
  function top() { return Math.round(150 * Math.min(scale, 1.25)); }

  // ---- small DOM helpers (text only)

  function el(tag, text, className, parent) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (className) { e.className = className; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values.hasOwnProperty(k) ? String(values[k]) : m; });
  }
  function quoted(text) { return /^[“「『][^“”]*[”」』]$/.test(text) ? text : "“" + text + "”"; }

  // a quote in its sentence, the quote marked; its source on hover and below
  function quote(parent, ev) {
    var q = el("blockquote", null, null, parent);
    if (ev[3] || ev[4]) {
      if (ev[3]) { el("span", ev[3], "mx-ctx", q); }
      el("mark", ev[1], null, q);
      if (ev[4]) { el("span", ev[4], "mx-ctx", q); }
    } else {
      el("mark", quoted(ev[1]), null, q);
    }
    if (ev[2] >= 0) { q.title = UI.source + DATA.documents[ev[2]]; }
    return q;
  }
  // a cell's quotes; their sources are named below them, or collected in ``used`` to be named once per list
  function evidenceBlock(parent, k, withPractice, used) {
    var docs = used || {};
    DATA.cells[k][2].forEach(function (e) {
      var ev = DATA.evidence[e];
      if (withPractice && ev[0]) { el("div", UI.practice + ev[0], "mx-who", parent); }
      quote(parent, ev);
      if (ev[2] >= 0) { docs[ev[2]] = true; }
    });
    if (!used) { sources(parent, docs); }
  }
  function sources(parent, used) {
    var list = Object.keys(used).map(Number).sort(function (a, b) { return a - b; });
    if (list.length) {
      el("div", UI.source + list.map(function (i) { return DATA.documents[i]; }).join("；"), "mx-doc", parent);
    }
  }

  // ---- filters

  function applyFilters() {
    state.rows = [];
    state.rowPos = {};
    ROWS.forEach(function (r, i) {
      if (state.province < 0 || r[3] === state.province) { state.rowPos[i] = state.rows.length; state.rows.push(i); }
    });
    state.cols = [];
    state.colPos = {};
    COLS.forEach(function (c, j) {
      if (c[3] < state.min) { return; }
      if (state.province >= 0 && !colCells[j].some(function (k) { return DATA.cells[k][0] in state.rowPos; })) { return; }
      state.colPos[j] = state.cols.length;
      state.cols.push(j);
    });
    fitCells();
    sizer.style.width = (left() + state.cols.length * cell() + 20) + "px";
    sizer.style.height = (top() + state.rows.length * cell() + (state.presenting ? 220 : 20)) + "px";
    draw();
  }

  // ---- drawing: only what is in sight

  function fit(text, width) {
    if (ctx.measureText(text).width <= width) { return text; }
    var lo = 0, hi = text.length;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(text.slice(0, mid) + "…").width <= width) { lo = mid; } else { hi = mid - 1; }
    }
    return text.slice(0, lo) + "…";
  }
  function tint(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }
  function colorOf(i) { return DATA.colors[ROWS[i][4] % DATA.colors.length]; }
  function marked(i) { return state.compare && (state.compare[0] === i || state.compare[1] === i); }

  function draw() {
    var w = stage.clientWidth, h = stage.clientHeight, dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w, h);
    var C = cell(), L = left(), T = top();
    var sx = scroller.scrollLeft, sy = scroller.scrollTop;
    var r0 = Math.max(0, Math.floor(sy / C)), r1 = Math.min(state.rows.length - 1, Math.floor((sy + h - T) / C));
    var c0 = Math.max(0, Math.floor(sx / C)), c1 = Math.min(state.cols.length - 1, Math.floor((sx + w - L) / C));
    var drawn = 0;
    ctx.save();
    ctx.beginPath();
    ctx.rect(L, T, w - L, h - T);
    ctx.clip();
    // bands: the selected city and initiative, the compared cities
    for (var p = r0; p <= r1; p++) {
      var i = state.rows[p], y = T + p * C - sy;
      if (i === state.row || marked(i)) {
        ctx.fillStyle = marked(i) ? "rgba(255, 214, 102, .45)" : "rgba(255, 236, 179, .7)";
        ctx.fillRect(L, y, w - L, C);
      } else if (p % 2) {
        ctx.fillStyle = "#f7f9fb";
        ctx.fillRect(L, y, w - L, C);
      }
    }
    if (state.col >= 0 && state.col in state.colPos) {
      ctx.fillStyle = "rgba(255, 236, 179, .7)";
      ctx.fillRect(L + state.colPos[state.col] * C - sx, T, C, h - T);
    }
    ctx.strokeStyle = "#eef1f4";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (var q = c0; q <= c1 + 1; q += 1) { var gx = L + q * C - sx + 0.5; ctx.moveTo(gx, T); ctx.lineTo(gx, h); }
    ctx.stroke();
    var pad = Math.max(2, Math.round(C * 0.14));
    for (p = r0; p <= r1; p++) {
      i = state.rows[p];
      y = T + p * C - sy;
      ctx.fillStyle = colorOf(i);
      var list = rowCells[i];
      for (var k = 0; k < list.length; k++) {
        var j = DATA.cells[list[k]][1];
        var cp = state.colPos[j];
        if (cp === undefined || cp < c0 || cp > c1) { continue; }
        ctx.fillRect(L + cp * C - sx + pad, y + pad, C - 2 * pad, C - 2 * pad);
        drawn += 1;
      }
      // a line where a community ends
      var next = state.rows[p + 1];
      if (next !== undefined && ROWS[next][4] !== ROWS[i][4]) {
        ctx.fillStyle = "#8c98a5";
        ctx.fillRect(L, y + C - 1, w - L, 1.5);
      }
    }
    ctx.restore();
    // row labels
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, T, L, h - T);
    ctx.clip();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, T, L, h - T);
    var fs = Math.round(13 * scale);
    ctx.font = fs + "px " + FONT;
    ctx.textBaseline = "middle";
    for (p = r0; p <= r1; p++) {
      i = state.rows[p];
      y = T + p * C - sy;
      ctx.fillStyle = colorOf(i);
      ctx.fillRect(4, y + 3, 5, C - 6);
      if (i === state.row || marked(i)) {
        ctx.fillStyle = "rgba(255, 214, 102, .6)";
        ctx.fillRect(12, y, L - 12, C);
      }
      ctx.fillStyle = "#1f2933";
      ctx.textAlign = "right";
      ctx.fillText(fit(ROWS[i][1], L - 24), L - 6, y + C / 2 + 0.5);
    }
    ctx.restore();
    // column labels, read upwards
    ctx.save();
    ctx.beginPath();
    ctx.rect(L, 0, w - L, T);
    ctx.clip();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(L, 0, w - L, T);
    ctx.font = Math.round(12 * scale) + "px " + FONT;
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    for (q = c0; q <= c1; q++) {
      j = state.cols[q];
      var x = L + q * C - sx + C / 2;
      if (j === state.col) {
        ctx.fillStyle = "rgba(255, 214, 102, .6)";
        ctx.fillRect(x - C / 2, 0, C, T);
      }
      ctx.save();
      ctx.translate(x, T - 6);
      ctx.rotate(-Math.PI / 2);
      ctx.fillStyle = "#1f2933";
      ctx.fillText(fit(COLS[j][1], T - 12), 0, 0.5);
      ctx.restore();
    }
    ctx.restore();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, L, T);
    ctx.fillStyle = "#5b6775";
    ctx.font = Math.round(12 * scale) + "px " + FONT;
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.fillText(state.rows.length + " × " + state.cols.length, 8, T - 8);
    ctx.strokeStyle = "#b9c2cc";
    ctx.beginPath();
    ctx.moveTo(L - 0.5, 0); ctx.lineTo(L - 0.5, h);
    ctx.moveTo(0, T - 0.5); ctx.lineTo(w, T - 0.5);
    ctx.stroke();
    state.drawn = drawn;
    document.body.setAttribute("data-drawn", String(drawn));
    document.body.setAttribute("data-first-row", String(r0));
  }

  // ---- where the pointer is

  function hit(ev) {
    var box = scroller.getBoundingClientRect();
    var x = ev.clientX - box.left, y = ev.clientY - box.top;
    var C = cell(), L = left(), T = top();
    var q = x >= L ? Math.floor((x - L + scroller.scrollLeft) / C) : -1;
    var p = y >= T ? Math.floor((y - T + scroller.scrollTop) / C) : -1;
    return {
      x: x, y: y,
      row: p >= 0 && p < state.rows.length ? state.rows[p] : -1,
      col: q >= 0 && q < state.cols.length ? state.cols[q] : -1
    };
  }

  function showTip(h) {
    clear(tip);
    if (h.row < 0 && h.col < 0) { tip.hidden = true; return; }
    if (h.row >= 0 && h.col >= 0) {
      var k = cellAt[h.row * COLS.length + h.col];
      el("strong", ROWS[h.row][1] + " × " + COLS[h.col][1], null, tip);
      if (k === undefined) { el("div", UI.not_reported, "mx-doc", tip); } else { evidenceBlock(tip, k, true); }
    } else if (h.row >= 0) {
      el("strong", ROWS[h.row][1], null, tip);
      el("div", fmt(UI.initiatives_n, {n: rowCells[h.row].length}) + " · " + UI.community + " " + (ROWS[h.row][4] + 1),
        "mx-doc", tip);
    } else {
      el("strong", COLS[h.col][1], null, tip);
      el("div", fmt(UI.cities_n, {n: COLS[h.col][3]}), "mx-doc", tip);
    }
    tip.hidden = false;
    var w = stage.clientWidth, hh = stage.clientHeight;
    var tx = Math.min(h.x + 14, w - tip.offsetWidth - 4), ty = h.y + 16;
    if (ty + tip.offsetHeight > hh) { ty = Math.max(0, h.y - tip.offsetHeight - 8); }
    tip.style.left = Math.max(0, tx) + "px";
    tip.style.top = ty + "px";
  }

  scroller.addEventListener("scroll", function () { tip.hidden = true; draw(); });
  scroller.addEventListener("mousemove", function (ev) { showTip(hit(ev)); });
  scroller.addEventListener("mouseleave", function () { tip.hidden = true; });
  scroller.addEventListener("click", function (ev) {
    var h = hit(ev);
    if (h.row >= 0 && h.col >= 0) { showCell(h.row, h.col); } else if (h.row >= 0) { showCity(h.row); } else if (h.col >= 0) {
      showInitiative(h.col);
    }
  });

  // ---- the details panel

  function pair(a, b) { return a < b ? pairOf[a + "|" + b] : pairOf[b + "|" + a]; }
  // the figures of a pair as seen from a: [score, p, rank of b among a's peers, support, mark]
  function figures(a, b) {
    var p = pair(a, b);
    if (!p) { return null; }
    return a < b ? [p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]] : [p[2], p[3], p[7], p[8], p[9], p[4], p[5], p[6]];
  }
  function significant(p) { return p !== null && p <= DATA.meta.significance; }
  function scoreText(f) { return f[0].toFixed(3) + " · p = " + f[1] + (significant(f[1]) ? " *" : ""); }

  function cityLink(i, parent) {
    var b = el("button", ROWS[i][1], "mx-link", parent);
    b.type = "button";
    b.addEventListener("click", function () { reveal(i, -1); showCity(i); });
    return b;
  }

  function showCell(i, j) {
    state.row = i;
    state.col = j;
    clear(panel);
    el("h2", ROWS[i][1] + " × " + COLS[j][1], null, panel);
    var k = cellAt[i * COLS.length + j];
    if (k === undefined) { el("p", UI.not_reported, "mx-hint", panel); } else { evidenceBlock(panel, k, true); }
    var more = el("p", null, null, panel);
    cityLink(i, more);
    draw();
  }

  function peersOf(i) {
    var out = [];
    ROWS.forEach(function (_, b) {
      if (b === i) { return; }
      var f = figures(i, b);
      if (f && f[0] > 0) { out.push([b, f]); }
    });
    out.sort(function (x, y) { return y[1][0] - x[1][0] || x[0] - y[0]; });
    return out.slice(0, 5);
  }

  // ---- the page address names what is shown (#city=ID, #initiative=ID, #compare=ID,ID), for a link or bookmark

  function mark(kind, value) {
    var hash = "#" + kind + "=" + value.map(encodeURIComponent).join(",");
    if (location.hash !== hash && window.history && history.replaceState) { history.replaceState(null, "", hash); }
  }
  function fromAddress() {
    var m = /^#(city|initiative|compare)=(.+)$/.exec(location.hash || "");
    if (!m) { return false; }
    var ids = m[2].split(",").map(function (x) { try { return decodeURIComponent(x); } catch (e) { return x; } });
    function rowOf(id) { for (var i = 0; i < ROWS.length; i++) { if (ROWS[i][0] === id) { return i; } } return -1; }
    if (m[1] === "compare" && ids.length === 2 && rowOf(ids[0]) >= 0 && rowOf(ids[1]) >= 0 && ids[0] !== ids[1]) {
      openCompare(rowOf(ids[0]), rowOf(ids[1]));
      return true;
    }
    if (m[1] === "city" && rowOf(ids[0]) >= 0) { closeCompare(); reveal(rowOf(ids[0]), -1); showCity(rowOf(ids[0])); return true; }
    if (m[1] === "initiative") {
      for (var j = 0; j < COLS.length; j++) {
        if (COLS[j][0] === ids[0]) { closeCompare(); reveal(-1, j); showInitiative(j); return true; }
      }
    }
    return false;
  }

  function showCity(i) {
    state.row = i;
    state.col = -1;
    mark("city", [ROWS[i][0]]);
    clear(panel);
    el("h2", ROWS[i][1], null, panel);
    var sub = [ROWS[i][2], fmt(UI.initiatives_n, {n: rowCells[i].length}), UI.community + " " + (ROWS[i][4] + 1)];
    if (ROWS[i][3] >= 0) { sub.push(DATA.provinces[ROWS[i][3]]); }
    el("div", sub.filter(Boolean).join(" · "), "mx-doc", panel);
    var h = el("h3", UI.peers_title, null, panel);
    h.title = UI.peers_help_long;
    el("p", UI.peers_help + " " + UI.metric + DATA.meta.metric, "mx-help", panel);
    var peers = peersOf(i);
    if (!peers.length) { el("p", UI.none, "mx-hint", panel); }
    peers.forEach(function (pp) {
      var row = el("div", null, "mx-peer" + (significant(pp[1][1]) ? "" : " mx-weak"), panel);
      cityLink(pp[0], row);
      var s = el("span", " " + scoreText(pp[1]), null, row);
      s.title = UI.score_hover;
      if (pp[1][4]) {
        var st = el("span", " · " + UI[pp[1][4]], null, row);
        st.title = fmt(UI.stability_hover, {k: pp[1][2]});
      }
      var b = el("button", UI.compare_with, null, row);
      b.type = "button";
      b.addEventListener("click", function () { openCompare(i, pp[0]); });
    });
    el("h3", fmt(UI.initiatives_n, {n: rowCells[i].length}), null, panel);
    var methods = DATA.methods[i];
    if (methods) {
      el("p", fmt(UI.methods_city, {n: methods.length, names: methods.join(UI.list_sep)}), "mx-help mx-methods", panel);
    }
    var used = {};
    rowCells[i].forEach(function (k) {
      el("div", COLS[DATA.cells[k][1]][1], "mx-who", panel);
      evidenceBlock(panel, k, false, used);
    });
    sources(panel, used);
    draw();
  }

  function showInitiative(j) {
    state.col = j;
    state.row = -1;
    mark("initiative", [COLS[j][0]]);
    clear(panel);
    el("h2", COLS[j][1], null, panel);
    el("div", [COLS[j][2], fmt(UI.cities_n, {n: COLS[j][3]})].filter(Boolean).join(" · "), "mx-doc", panel);
    el("h3", UI.adopted_by, null, panel);
    var used = {};
    colCells[j].forEach(function (k) {
      var row = el("div", null, "mx-who", panel);
      cityLink(DATA.cells[k][0], row);
      evidenceBlock(panel, k, true, used);
    });
    sources(panel, used);
    draw();
  }

  // scroll so that row i and column j (either may be -1) are in sight
  function reveal(i, j) {
    var C = cell(), L = left(), T = top();
    if (i >= 0 && !(i in state.rowPos)) { provinceBox.value = "-1"; state.province = -1; applyFilters(); }
    if (j >= 0 && !(j in state.colPos)) { minBox.value = "1"; minValue.textContent = "1"; state.min = 1; applyFilters(); }
    if (i >= 0) {
      var y = state.rowPos[i] * C;
      var room = scroller.clientHeight - T - (caption.hidden ? 0 : caption.offsetHeight);
      if (y < scroller.scrollTop || y + C > scroller.scrollTop + room) { scroller.scrollTop = Math.max(0, y - room / 3); }
    }
    if (j >= 0) {
      var x = state.colPos[j] * C;
      var roomx = scroller.clientWidth - L;
      if (x < scroller.scrollLeft || x + C > scroller.scrollLeft + roomx) { scroller.scrollLeft = Math.max(0, x - roomx / 3); }
    }
    draw();
  }

  // ---- search: cities first, then initiatives; a prefix beats a match inside

  function norm(text) { return String(text || "").normalize("NFKC").toLowerCase().replace(/[\s\-_'\u2019\u00b7.]+/g, ""); }
  function find(query) {
    var qn = norm(query);
    if (!qn) { return null; }
    var best = null;
    function consider(kind, idx, keys, order) {
      for (var k = 0; k < keys.length; k++) {
        var at = keys[k].indexOf(qn);
        if (at < 0) { continue; }
        var score = [at === 0 ? 0 : 1, order, keys[k] === qn ? 0 : 1];
        if (!best || score[0] < best.score[0] || (score[0] === best.score[0] && score[1] < best.score[1])) {
          best = {kind: kind, idx: idx, score: score};
        }
        return;
      }
    }
    ROWS.forEach(function (r, i) { consider("city", i, r[5], 0); });
    COLS.forEach(function (c, j) { consider("initiative", j, c[4], 1); });
    return best;
  }
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var found = find(search.value);
    if (!found) { search.setCustomValidity("-"); search.title = "0"; return; }
    search.setCustomValidity("");
    if (found.kind === "city") { reveal(found.idx, -1); showCity(found.idx); } else { reveal(-1, found.idx); showInitiative(found.idx); }
  });

  // ---- comparing two cities side by side

  function byName(a, b) { return ROWS[a][1].localeCompare(ROWS[b][1], "zh-Hans-CN") || a - b; }
  function fillPickers() {
    var order = ROWS.map(function (_, i) { return i; }).sort(byName);
    [pickA, pickB].forEach(function (box) {
      order.forEach(function (i) {
        var o = el("option", ROWS[i][1], null, box);
        o.value = String(i);
      });
    });
    if (order.length > 1) { pickB.value = String(order[1]); }
  }

  function openCompare(a, b) {
    if (a === b || a < 0 || b < 0) { clear(panel); el("p", UI.pick_two, "mx-hint", panel); return; }
    state.compare = [a, b];
    mark("compare", [ROWS[a][0], ROWS[b][0]]);
    pickA.value = String(a);
    pickB.value = String(b);
    renderCompare();
    compareView.hidden = false;
    document.body.classList.add("mx-comparing");
    document.getElementById("mx-back").hidden = false;
    tip.hidden = true;
  }
  function closeCompare() {
    compareView.hidden = true;
    document.body.classList.remove("mx-comparing");
    document.getElementById("mx-back").hidden = true;
    applyFilters();
    if (state.compare) { reveal(state.compare[0], -1); }
  }

  function renderCompare() {
    var a = state.compare[0], b = state.compare[1];
    clear(compareView);
    el("h2", ROWS[a][1] + " ↔ " + ROWS[b][1], null, compareView);
    var f = figures(a, b);
    var box = el("div", null, "mx-figures", compareView);
    if (f) {
      var s = el("span", UI.score + " " + scoreText(f), "mx-score", box);
      s.title = UI.peers_help_long;
      el("span", " · " + (significant(f[1]) ? UI.significant : UI.not_significant) + " · " + UI.metric +
        DATA.meta.metric, null, box);
      [[a, b, f[2], f[3], f[4]], [b, a, f[5], f[6], f[7]]].forEach(function (side) {
        if (side[2] === null) { return; }
        var line = side[3] === null ? fmt(UI.rank_line, {a: ROWS[side[0]][1], b: ROWS[side[1]][1], rank: side[2],
          note: UI.no_stability}) : fmt(UI.stability_line, {a: ROWS[side[0]][1], b: ROWS[side[1]][1],
          rank: side[2], support: Math.round(side[3] * 100), mark: UI[side[4]]});
        var d = el("div", line, "mx-help", box);
        d.title = fmt(UI.stability_hover, {k: side[2]});
      });
      el("p", UI.peers_help, "mx-help", box).title = UI.peers_help_long;
    } else {
      el("p", fmt(UI.no_figures, {a: ROWS[a][1], b: ROWS[b][1]}), "mx-help", box);
    }
    var both = [], onlyA = [], onlyB = [];
    var inB = {};
    rowCells[b].forEach(function (k) { inB[DATA.cells[k][1]] = k; });
    var inA = {};
    rowCells[a].forEach(function (k) {
      var j = DATA.cells[k][1];
      inA[j] = true;
      if (j in inB) { both.push([j, k, inB[j]]); } else { onlyA.push([j, k]); }
    });
    rowCells[b].forEach(function (k) { if (!(DATA.cells[k][1] in inA)) { onlyB.push([DATA.cells[k][1], k]); } });
    el("h3", UI.both + "（" + both.length + "）", null, compareView).setAttribute("data-count", String(both.length));
    if (!both.length) { el("p", UI.none, "mx-hint", compareView); }
    var used = {};
    both.forEach(function (t) {
      var grid = el("div", null, "mx-pair", compareView);
      el("h4", COLS[t[0]][1], null, grid);
      var ca = el("div", null, null, grid), cb = el("div", null, null, grid);
      el("div", ROWS[a][1], "mx-who", ca);
      evidenceBlock(ca, t[1], true, used);
      el("div", ROWS[b][1], "mx-who", cb);
      evidenceBlock(cb, t[2], true, used);
    });
    sources(compareView, used);
    [[a, onlyA], [b, onlyB]].forEach(function (side) {
      var h = el("h3", fmt(UI.only, {city: ROWS[side[0]][1]}) + "（" + side[1].length + "）", null, compareView);
      h.setAttribute("data-count", String(side[1].length));
      if (!side[1].length) { el("p", UI.none, "mx-hint", compareView); return; }
      var wrap = el("div", null, "mx-only", compareView);
      var usedHere = {};
      side[1].forEach(function (t) {
        var item = el("div", null, null, wrap);
        el("h4", COLS[t[0]][1], null, item);
        evidenceBlock(item, t[1], true, usedHere);
      });
      sources(compareView, usedHere);
    });
    compareView.scrollTop = 0;
    document.title = ROWS[a][1] + " ↔ " + ROWS[b][1];
  }

  document.getElementById("mx-compare").addEventListener("click", function () {
    openCompare(Number(pickA.value), Number(pickB.value));
  });
  document.getElementById("mx-back").addEventListener("click", function () {
    closeCompare();
    if (window.history && history.replaceState) { history.replaceState(null, "", location.pathname + location.search); }
  });

  // ---- presentation: full screen, large type, no panel; arrows step through cities, or pairs when comparing
  //      (the keys and the full screen: presenting.js)

  function stepPairs() {
    return DATA.pairs.slice().sort(function (x, y) {
      return (significant(y[3]) - significant(x[3])) || y[2] - x[2] || x[0] - y[0] || x[1] - y[1];
    });
  }
  function showCaption(title, sub) {
    clear(caption);
    el("span", UI.present_hint, "mx-cap-hint", caption);
    el("div", title, null, caption);
    if (sub) { el("div", sub, "mx-cap-sub", caption); }
    caption.hidden = false;
  }
  function step(delta) {
    if (!compareView.hidden) {
      var pairs = stepPairs();
      if (!pairs.length) { return; }
      var at = -1;
      pairs.forEach(function (p, k) {
        if ((p[0] === state.compare[0] && p[1] === state.compare[1]) || (p[1] === state.compare[0] && p[0] === state.compare[1])) { at = k; }
      });
      var next = pairs[(at + delta + pairs.length) % pairs.length];
      openCompare(next[0], next[1]);
      var f = figures(next[0], next[1]);
      showCaption(ROWS[next[0]][1] + " ↔ " + ROWS[next[1]][1], UI.score + " " + scoreText(f));
      return;
    }
    if (!state.rows.length) { return; }
    var pos = state.row in state.rowPos ? state.rowPos[state.row] : -1;
    pos = pos < 0 ? (delta >= 0 ? 0 : state.rows.length - 1) : (pos + delta + state.rows.length) % state.rows.length;
    var i = state.rows[pos];
    var first = -1;
    rowCells[i].forEach(function (k) {
      var j = DATA.cells[k][1];
      if (j in state.colPos && (first < 0 || state.colPos[j] < state.colPos[first])) { first = j; }
    });
    showCity(i);
    var peers = peersOf(i).slice(0, 3).map(function (pp) { return ROWS[pp[0]][1] + " " + pp[1][0].toFixed(2) + (significant(pp[1][1]) ? "*" : ""); });
    var names = rowCells[i].map(function (k) { return COLS[DATA.cells[k][1]][1]; });
    showCaption(ROWS[i][1] + " · " + fmt(UI.initiatives_n, {n: names.length}),
      (peers.length ? UI.peers_title + "：" + peers.join("，") + " ｜ " : "") + names.join("、"));
    reveal(i, first);
  }
  function present(on) {
    state.presenting = on;
    document.body.classList.toggle("mx-presenting", on);
    scale = on ? 1.6 : 1;
    if (on) {
      window.pgPresenting.enterFullScreen();
      step(0);
    } else {
      caption.hidden = true;
      window.pgPresenting.leaveFullScreen();
    }
    applyFilters();
    if (state.row >= 0 && compareView.hidden) { reveal(state.row, -1); }
  }
  document.getElementById("mx-present").addEventListener("click", function () { present(!state.presenting); });
  window.pgPresenting.listen({ on: function () { return state.presenting; }, present: present, step: step });

  // ---- start

  var allOption = el("option", UI.all_provinces, null, provinceBox);
  allOption.value = "-1";
  DATA.provinces.forEach(function (name, k) { el("option", name, null, provinceBox).value = String(k); });
  if (DATA.provinces.length < 2) { provinceBox.hidden = true; }
  provinceBox.addEventListener("change", function () { state.province = Number(provinceBox.value); applyFilters(); });
  var most = COLS.reduce(function (m, c) { return Math.max(m, c[3]); }, 1);
  minBox.max = String(most);
  minBox.addEventListener("input", function () {
    state.min = Number(minBox.value);
    minValue.textContent = String(state.min);
    applyFilters();
  });
  fillPickers();
  window.addEventListener("resize", applyFilters);
  applyFilters();
  if (!fromAddress() && DATA.meta.compare) { openCompare(DATA.meta.compare[0], DATA.meta.compare[1]); }
  window.addEventListener("hashchange", fromAddress);
  window.mxView = {
    data: DATA, state: state, draw: draw, showCity: showCity, showInitiative: showInitiative, showCell: showCell,
    compare: openCompare, present: present, step: step, reveal: reveal,
    layout: function () { return {cell: cell(), left: left(), top: top()}; }
  };
  document.body.setAttribute("data-ready", "1");
})();
