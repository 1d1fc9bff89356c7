// The timeline view: cities as rows, time left to right, one dot per first report. Every data text is written
// with textContent (or as an SVG text node's textContent): nothing from the data ever becomes markup.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("tl-data").textContent);
  var UI = DATA.ui;
  var NS = "http:" + "//www.w3.org/2000/svg";
  var svg = document.getElementById("tl-svg");
  var panel = document.getElementById("tl-panel");
  var search = document.getElementById("tl-search");
  var tiesBox = document.getElementById("tl-ties");
  var hidden = {};
  var query = "";
  var selected = -1;
  var LABEL = 130, TOP = 34, ROW = 30, RIGHT = 30, BOTTOM = 16;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { node.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function html(tag, text, parent) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function normalize(text) {
    return String(text || "").normalize("NFKC").toLowerCase().replace(/[\s\-_'\u2019\u00b7.]+/g, "");
  }

  function matches(keys) {
    if (!query) { return true; }
    for (var i = 0; i < keys.length; i++) { if (keys[i].indexOf(query) !== -1) { return true; } }
    return false;
  }

  function visiblePoints() {
    var cityHit = DATA.rows.map(function (r) { return matches(r.keys); });
    var initiativeHit = DATA.initiatives.map(function (x) { return matches(x.keys); });
    var out = [];
    DATA.points.forEach(function (p, k) {
      if (hidden[p.initiative]) { return; }
      if (cityHit[p.row] || initiativeHit[p.initiative]) { out.push(k); }
    });
    return out;
  }

  function span() {
    var lo = Infinity, hi = -Infinity;
    DATA.points.forEach(function (p) { lo = Math.min(lo, p.t); hi = Math.max(hi, p.t); });
    if (DATA.window) {
      lo = Math.min(lo, yearOf(DATA.window[0]));
      hi = Math.max(hi, yearOf(DATA.window[1]));
    }
    if (!isFinite(lo)) { lo = 2000; hi = 2001; }
    lo = Math.floor(lo);
    hi = Math.max(Math.ceil(hi), lo + 1);
    if (hi === Math.ceil(hi) && DATA.points.some(function (p) { return p.t === hi; })) { hi += 1; }
    return [lo, hi];
  }

  function yearOf(date) {
    var parts = date.split("-").map(Number);
    var y = parts[0], m = parts[1] || 1, d = parts[2] || 1;
    var start = Date.UTC(y, 0, 1), end = Date.UTC(y + 1, 0, 1);
    return y + (Date.UTC(y, m - 1, d) - start) / (end - start);
  }

  function draw() {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var shown = visiblePoints();
    var rowsShown = [];
    var rowPos = {};
    shown.forEach(function (k) {
      var r = DATA.points[k].row;
      if (!(r in rowPos)) { rowPos[r] = rowsShown.length; rowsShown.push(r); }
    });
    var stage = document.getElementById("tl-stage");
    var width = Math.max(520, stage.clientWidth - 4);
    var height = TOP + Math.max(1, rowsShown.length) * ROW + BOTTOM;
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var range = span();
    var x = function (t) { return LABEL + (t - range[0]) / (range[1] - range[0]) * (width - LABEL - RIGHT); };
    var axis = el("g", {"class": "tl-axis"}, svg);
    for (var year = range[0]; year <= range[1]; year++) {
      el("line", {"class": "tl-grid", x1: x(year), x2: x(year), y1: TOP - 6, y2: height - BOTTOM}, axis);
      var label = el("text", {x: x(year), y: 14, "text-anchor": "middle"}, axis);
      label.textContent = String(year);
    }
    if (DATA.window && DATA.window[0] === DATA.window[1]) {
      var only = x(yearOf(DATA.window[0]));
      el("line", {"class": "tl-window", x1: only, x2: only, y1: TOP - 14, y2: height - BOTTOM}, axis);
      var right = only > width / 2;
      var one = el("text", {x: only + (right ? -3 : 3), y: TOP - 8, "text-anchor": right ? "end" : "start"}, axis);
      one.textContent = UI.only + DATA.window[0];
    } else if (DATA.window) {
      DATA.window.forEach(function (date, i) {
        var wx = x(yearOf(date));
        el("line", {"class": "tl-window", x1: wx, x2: wx, y1: TOP - 14, y2: height - BOTTOM}, axis);
        var t = el("text", {x: wx + (i ? -3 : 3), y: TOP - 8, "text-anchor": i ? "end" : "start"}, axis);
        t.textContent = (i ? UI.last : UI.first) + date;
      });
    }
    rowsShown.forEach(function (r, i) {
      var y = TOP + i * ROW + ROW / 2;
      el("line", {"class": "tl-rowline", x1: LABEL, x2: width - RIGHT, y1: y, y2: y}, svg);
      var name = el("text", {x: LABEL - 10, y: y + 4, "text-anchor": "end", "font-size": 13}, svg);
      name.textContent = DATA.rows[r].name;
      name.setAttribute("data-row", String(r));
    });
    // dots of one row on one date sit side by side, centred on the date, so that rows never overlap
    var place = {};
    var count = {}, seen = {};
    shown.forEach(function (k) {
      var key = DATA.points[k].row + "|" + DATA.points[k].t;
      count[key] = (count[key] || 0) + 1;
    });
    shown.forEach(function (k) {
      var p = DATA.points[k];
      var key = p.row + "|" + p.t;
      var n = seen[key] = (seen[key] || 0) + 1;
      var offset = (n - 1 - (count[key] - 1) / 2) * 12;
      place[k] = [x(p.t) + offset, TOP + rowPos[p.row] * ROW + ROW / 2];
    });
    if (DATA.arrows.length && tiesBox && tiesBox.checked) {
      var defs = el("defs", {}, svg);
      var marker = el("marker", {id: "tl-arrowhead", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9,
        markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse"}, defs);
      el("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#33475b"}, marker);
      DATA.arrows.forEach(function (a) {
        if (!(a.from in place) || !(a.to in place)) { return; }
        var s = place[a.from], t = place[a.to];
        var mx = (s[0] + t[0]) / 2 + (t[1] - s[1]) * 0.25, my = (s[1] + t[1]) / 2 - (t[0] - s[0]) * 0.1;
        var dx = t[0] - mx, dy = t[1] - my, len = Math.sqrt(dx * dx + dy * dy) || 1;
        var ex = t[0] - dx / len * 8, ey = t[1] - dy / len * 8;
        var path = el("path", {"class": "tl-arrow", d: "M " + s[0] + " " + s[1] + " Q " + mx + " " + my + " " +
          ex + " " + ey, "marker-end": "url(#tl-arrowhead)"}, svg);
        var title = el("title", {}, path);
        var from = DATA.points[a.from], to = DATA.points[a.to];
        title.textContent = DATA.rows[from.row].name + " → " + DATA.rows[to.row].name + " · " +
          DATA.initiatives[from.initiative].name + " · " + UI.gain + " " + a.gain + (a.p === null ? "" : " · p = " + a.p);
      });
    }
    shown.forEach(function (k) {
      var p = DATA.points[k];
      var dot = el("circle", {"class": "tl-dot" + (k === selected ? " tl-selected" : ""), cx: place[k][0],
        cy: place[k][1], r: 6, fill: DATA.initiatives[p.initiative].color, "data-point": String(k),
        tabindex: 0}, svg);
      var title = el("title", {}, dot);
      title.textContent = DATA.rows[p.row].name + " · " + DATA.initiatives[p.initiative].name + " · " + p.date;
      dot.addEventListener("click", function () { select(k); });
      dot.addEventListener("keydown", function (e) { if (e.key === "Enter") { select(k); } });
    });
    document.body.setAttribute("data-drawn", String(shown.length));
  }

  function select(k) {
    selected = k;
    var p = DATA.points[k];
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    html("h2", DATA.rows[p.row].name + " · " + DATA.initiatives[p.initiative].name, panel);
    var dl = html("dl", null, panel);
    [[UI.first_report, p.date], [UI.order, String(p.order)], [UI.source, DATA.sources[p.source]],
     [UI.latest_report, p.last], [UI.reports, String(p.reports)]].forEach(function (pair) {
      html("dt", pair[0], dl);
      html("dd", pair[1], dl);
    });
    var quoted = /^[“「『]/.test(p.quote) && /[”」』]$/.test(p.quote);
    html("blockquote", quoted ? p.quote : "“" + p.quote + "”", panel);
    html("p", DATA.meta.note, panel).className = "tl-hint";
    draw();
  }

  function legend() {
    var box = document.getElementById("tl-legend");
    DATA.initiatives.forEach(function (x, i) {
      var b = html("button", null, box);
      b.type = "button";
      var sw = html("span", null, b);
      sw.className = "tl-swatch";
      sw.style.background = x.color;
      b.appendChild(document.createTextNode(x.name));
      b.setAttribute("data-initiative", String(i));
      b.addEventListener("click", function () {
        hidden[i] = !hidden[i];
        b.className = hidden[i] ? "tl-off" : "";
        draw();
      });
    });
  }

  function undated() {
    if (!DATA.undated.length) { return; }
    var foot = document.getElementById("tl-undated");
    foot.hidden = false;
    foot.textContent = UI.undated +
      DATA.undated.map(function (u) { return u[0] + " · " + u[1]; }).join(UI.joiner);
  }

  search.addEventListener("input", function () { query = normalize(search.value); draw(); });
  if (DATA.arrows.length && tiesBox) {
    document.getElementById("tl-ties-toggle").hidden = false;
    tiesBox.addEventListener("change", draw);
  }
  window.addEventListener("resize", draw);
  legend();
  undated();
  draw();
  window.tlView = {data: DATA, select: select, redraw: draw};
})();
