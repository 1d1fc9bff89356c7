/* practice-graph view: legend, search, details panel, layout and PNG buttons around a vis-network graph.
   Every data text reaches the page through textContent (or vis-network's innerText tooltips), never as HTML. */
(function () {
  "use strict";

  var DATA = decode(JSON.parse(document.getElementById("pg-data").textContent));

  // the data travels compact, each text once (graph/render/page.py): ids, quotes, looks and documents in tables the
  // rows refer to by index. decode() gives the rest of this script plain objects: vis-network nodes and edges with
  // their tooltips, names by id, and relation and evidence rows [.., .., .., quote, document, before, after].
  function decode(raw) {
    var ids = raw.ids, strings = raw.strings, names = {};
    for (var n = 0; n < ids.length; n++) { names[ids[n]] = raw.names[n]; }
    var typeNames = {};
    raw.types.forEach(function (t) { typeNames[t.type] = t.label; });
    function copy(v) { // each item gets its own look (vis-network and this script change items in place)
      if (v === null || typeof v !== "object") { return v; }
      var out = Array.isArray(v) ? [] : {};
      for (var k in v) { if (Object.prototype.hasOwnProperty.call(v, k)) { out[k] = copy(v[k]); } }
      return out;
    }
    var consumed = { style: true, tip: true, quotes: true, document: true }; // read by make(), not kept
    // rows of columns -> items: the look first, then make(item, cell), then every other cell that is not null
    function items(table, make) {
      var cols = table.columns, at = {}, kept = [], out = new Array(table.rows.length);
      cols.forEach(function (c, k) { at[c] = k; if (!consumed[c]) { kept.push(k); } });
      function cell(row, c) { var k = at[c]; return k !== undefined && k < row.length ? row[k] : null; }
      for (var i = 0; i < table.rows.length; i++) {
        var row = table.rows[i], style = cell(row, "style");
        var item = style === null ? {} : copy(raw.styles[style]);
        make(item, row, cell, i);
        for (var j = 0; j < kept.length; j++) {
          var k = kept[j], c = cols[k];
          if (k < row.length && row[k] !== null && !Object.prototype.hasOwnProperty.call(item, c)) { item[c] = row[k]; }
        }
        out[i] = item;
      }
      return out;
    }
    var nodes = items(raw.nodes, function (item, row, cell, n) {
      var id = ids[n], d = raw.details[id] || {}, type = cell(row, "type"), tip = cell(row, "tip");
      var lines = [names[id], [d.en, typeNames[type] || type].filter(Boolean).join(" · ")];
      if (d.count) { lines.push(d.count); }
      if (tip) { lines.push(tip); }
      item.id = id;
      item.title = lines.join("\n");
    });
    var edges = items(raw.edges, function (item, row, cell, n) {
      item.id = "e" + n;
      item.from = ids[cell(row, "from")];
      item.to = ids[cell(row, "to")];
      if (cell(row, "title") === null) {
        var relation = cell(row, "relation"), quotes = cell(row, "quotes"), doc = cell(row, "document");
        var label = (raw.relationLabels[relation] || [relation])[0];
        var text = names[item.from] + " " + label + " " + names[item.to];
        if (quotes) { for (var q = 0; q < quotes.length; q++) { text += "\n\u201c" + strings[quotes[q]] + "\u201d"; } }
        if (doc !== null && doc >= 0) { text += "\n\u2014 " + raw.documents[doc]; }
        item.title = text;
      }
    });
    var cites = raw.quotes.map(function (c) { return [strings[c[0]], c[1], strings[c[2]], strings[c[3]]]; });
    var none = ["", -1, "", ""];
    function cited(r) {
      var c = r[3] < 0 ? none : cites[r[3]];
      return [ids[r[0]], r[1], ids[r[2]], c[0], c[1], c[2], c[3]];
    }
    raw.relations = raw.relations.map(cited);
    raw.evidence = raw.evidence.map(function (e) {
      var c = cites[e[3]];
      return [ids[e[0]], ids[e[1]], ids[e[2]], c[0], c[1], c[2], c[3]];
    });
    raw.nodes = nodes;
    raw.edges = edges;
    raw.names = names;
    return raw;
  }

  var UI = DATA.ui;
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("pg-graph");
  var panel = document.getElementById("pg-panel");
  var status = document.getElementById("pg-status");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  var hiddenTypes = {};
  var names = DATA.names;
  function nameOf(id) { return Object.prototype.hasOwnProperty.call(names, id) ? names[id] : id; }
  function typeOf(id) { var n = nodes.get(id); return n ? n.type : ""; }
  var relationsOf = {};
  DATA.relations.forEach(function (r, i) {
    (relationsOf[r[0]] = relationsOf[r[0]] || []).push(i);
    if (r[2] !== r[0]) { (relationsOf[r[2]] = relationsOf[r[2]] || []).push(i); }
  });
  var evidenceOf = {};
  DATA.evidence.forEach(function (e, i) {
    (evidenceOf[e[0]] = evidenceOf[e[0]] || []).push(i);
    (evidenceOf[e[1]] = evidenceOf[e[1]] || []).push(i);
  });
  var typeLabel = {};
  DATA.types.forEach(function (t) { typeLabel[t.type] = t.label; });

  var view = {
    network: network,
    nodes: nodes,
    edges: edges,
    drawn: false,
    stable: !DATA.meta.physics,
    focus: focusNode,
    search: search,
    hiddenTypes: hiddenTypes
  };
  window.pgView = view;

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (className) { e.className = className; }
    return e;
  }

  // ---- drawing: a white background (for the PNG), a flag once drawn, physics that stops once settled

  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  // ---- the map's borders (view --layout map): drawn under the graph, in the nodes' own projected space, so they
  // pan, zoom and go into the PNG with it; prefecture borders once a kilometre is half a pixel or more on screen
  // rivers (the Han) under the borders' lines, named once along their course
  var RIVER_COLOR = "#6a9fcf", RIVER_WIDTH = 2.2;
  function riverName(river) {
    return typeof river.name === "string" ? river.name : river.name[DATA.meta.lang] || river.name.zh;
  }
  function riverLabelPoint(river) {
    var f = DATA.map.frame;
    return river.label ? [(river.label[0] - f[0]) * f[2], (river.label[1] - f[1]) * f[2]] : null;
  }
  if (DATA.map) {
    var frame = DATA.map.frame;
    var trace = function (ctx, flat) {
      ctx.moveTo((flat[0] - frame[0]) * frame[2], (flat[1] - frame[1]) * frame[2]);
      for (var i = 2; i < flat.length; i += 2) {
        ctx.lineTo((flat[i] - frame[0]) * frame[2], (flat[i + 1] - frame[1]) * frame[2]);
      }
    };
    var stroke = function (ctx, lines, color, width) {
      ctx.beginPath();
      lines.forEach(function (flat) { trace(ctx, flat); });
      ctx.strokeStyle = color;
      ctx.lineWidth = width / network.getScale();
      ctx.stroke();
      return lines.length;
    };
    network.on("beforeDrawing", function (ctx) {
      var drawn = 0;
      ctx.save();
      ctx.lineJoin = "round";
      ctx.beginPath();
      DATA.map.land.forEach(function (ring) { trace(ctx, ring); ctx.closePath(); });
      ctx.fillStyle = "#f4f1e8";
      ctx.fill();
      drawn += DATA.map.land.length;
      var pxPerKm = network.getScale() * frame[2];
      if (pxPerKm >= 0.5) { drawn += stroke(ctx, DATA.map.prefectures, "#d9d3c7", 0.8); }
      drawn += stroke(ctx, DATA.map.provinces, "#a39c8f", 1.2);
      drawn += stroke(ctx, DATA.map.maritime, "#a39c8f", 1.2);
      var rivers = 0;
      (DATA.map.rivers || []).forEach(function (river) {
        rivers += stroke(ctx, river.lines, RIVER_COLOR, RIVER_WIDTH);
        var at = riverLabelPoint(river);
        if (!at) { return; }
        var k = network.getScale();
        ctx.font = "italic " + 13 / k + "px " + getComputedStyle(document.body).fontFamily;
        ctx.textAlign = "center";
        ctx.lineWidth = 3 / k;
        ctx.strokeStyle = "#ffffff";
        ctx.strokeText(riverName(river), at[0], at[1]);
        ctx.fillStyle = RIVER_COLOR;
        ctx.fillText(riverName(river), at[0], at[1]);
      });
      ctx.restore();
      document.body.setAttribute("data-map-lines", String(drawn));
      document.body.setAttribute("data-map-rivers", String(rivers));
      document.body.setAttribute("data-map-prefectures", pxPerKm >= 0.5 ? "1" : "0");
    });
  }
  network.once("afterDrawing", function () {
    view.drawn = true;
    document.body.setAttribute("data-drawn", "1");
  });
  network.on("stabilizationProgress", function (p) {
    status.textContent = UI.laying_out + Math.round((100 * p.iterations) / p.total) + "%";
  });
  function fitWithMargin() {
    network.fit();
    network.moveTo({ scale: network.getScale() * 0.92 });
  }
  // a layout the user arranged by dragging is kept in the browser (per file) and comes back when the page is
  // opened again; re-layout forgets it. Pages where storage is refused (a sandboxed frame) simply do not keep it.
  var layoutKey = "practice-graph:layout:" + DATA.meta.file + ":" + DATA.nodes.length + ":" + DATA.edges.length;
  function savedLayout() {
    try { return JSON.parse(window.localStorage.getItem(layoutKey) || "null"); } catch (err) { return null; }
  }
  function keepLayout() {
    try { window.localStorage.setItem(layoutKey, JSON.stringify(network.getPositions())); } catch (err) { /* refused */ }
  }
  function forgetLayout() {
    try { window.localStorage.removeItem(layoutKey); } catch (err) { /* refused */ }
  }
  function restoreLayout() {
    var saved = savedLayout();
    if (!saved) { return false; }
    Object.keys(saved).forEach(function (id) {
      if (nodes.get(id)) { network.moveNode(id, saved[id].x, saved[id].y); }
    });
    document.body.setAttribute("data-restored", "1");
    return true;
  }
  network.on("dragEnd", function (p) { if (p.nodes && p.nodes.length) { keepLayout(); } });
  network.once("afterDrawing", function () { if (!DATA.meta.physics) { restoreLayout(); fitWithMargin(); } });
  // a force layout comes out round; the canvas is wide: stretch the layout sideways to use the room for labels
  function widen() {
    if (DATA.meta.layout === "map" || !DATA.meta.physics) { return; }
    var pos = network.getPositions();
    var ids = Object.keys(pos);
    if (ids.length < 3) { return; }
    var minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id];
      minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
    });
    var w = maxX - minX, h = maxY - minY;
    if (!(w > 0 && h > 0)) { return; }
    var want = container.clientWidth / Math.max(container.clientHeight, 1);
    var factor = Math.min(1.8, want / (w / h));
    if (factor <= 1.05) { return; }
    var cx = (minX + maxX) / 2;
    ids.forEach(function (id) { network.moveNode(id, cx + (pos[id].x - cx) * factor, pos[id].y); });
  }

  function settle() {
    if (view.stable) { return; }
    labelsDirty = true;
    network.setOptions({ physics: { enabled: false } });
    if (!restoreLayout()) { widen(); }
    fitWithMargin();
    status.textContent = "";
    view.stable = true;
    document.body.setAttribute("data-stable", "1");
  }
  // vis-network ends a stabilisation with "stabilizationIterationsDone", but with nothing to move (every node
  // hidden or fixed) only with "stabilized": either one settles the view
  network.on("stabilizationIterationsDone", settle);
  network.on("stabilized", settle);
  if (!DATA.meta.physics) { document.body.setAttribute("data-stable", "1"); }

  // a large view's layout was computed when the file was made (physics stays off: it would take minutes):
  // laying it out again puts every node back where that layout placed it
  var computed = DATA.meta.physics ? [] : DATA.nodes.map(function (n) { return { id: n.id, x: n.x, y: n.y }; });
  document.getElementById("pg-relayout").addEventListener("click", function () {
    forgetLayout();
    document.body.removeAttribute("data-restored");
    view.stable = false;
    document.body.removeAttribute("data-stable");
    if (!DATA.meta.physics) {
      nodes.update(computed);
      settle();
      return;
    }
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(200);
  });
  document.getElementById("pg-fit").addEventListener("click", fitWithMargin);
  // ---- the picture as one would paste it into slides: title, the graph at twice the resolution, legend, source

  function wrapText(ctx, text, width) {
    var lines = [], line = "";
    Array.from(text).forEach(function (ch) {
      if (ctx.measureText(line + ch).width > width && line) { lines.push(line); line = ch; } else { line += ch; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function composePicture(graphCanvas) {
    var k = 2, pad = 16 * k, W = graphCanvas.width;
    var font = getComputedStyle(document.body).fontFamily;
    var out = document.createElement("canvas");
    var ctx = out.getContext("2d");
    ctx.font = "600 " + 20 * k + "px " + font;
    var titleLines = wrapText(ctx, DATA.meta.title, W - 2 * pad);
    ctx.font = 12 * k + "px " + font;
    var entries = DATA.types.filter(function (t) { return !hiddenTypes[t.type]; })
      .map(function (t) { return [t.color, t.label + " (" + t.count + ")"]; });
    (DATA.keys || []).forEach(function (key) { entries.push([null, key[1]]); });
    var rows = [[]], x = 0;
    entries.forEach(function (e) {
      var w = (e[0] ? 18 * k : 0) + ctx.measureText(e[1]).width + 18 * k;
      if (x + w > W - 2 * pad && rows[rows.length - 1].length) { rows.push([]); x = 0; }
      rows[rows.length - 1].push(e);
      x += w;
    });
    var source = DATA.meta.subtitle ? wrapText(ctx, DATA.meta.subtitle, W - 2 * pad) : [];
    var head = pad + titleLines.length * 28 * k + 6 * k;
    var legendH = rows.length * 20 * k + 6 * k;
    var foot = source.length * 17 * k + pad;
    out.width = W;
    out.height = head + legendH + graphCanvas.height + foot;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#1f2933";
    ctx.textBaseline = "top";
    ctx.font = "600 " + 20 * k + "px " + font;
    titleLines.forEach(function (line, i) { ctx.fillText(line, pad, pad + i * 28 * k); });
    ctx.font = 12 * k + "px " + font;
    rows.forEach(function (row, r) {
      var y = head + r * 20 * k, cx = pad;
      row.forEach(function (e) {
        if (e[0]) {
          ctx.fillStyle = e[0];
          ctx.beginPath();
          ctx.arc(cx + 6 * k, y + 7 * k, 6 * k, 0, 2 * Math.PI);
          ctx.fill();
          cx += 18 * k;
        }
        ctx.fillStyle = e[0] ? "#1f2933" : "#5b6775";
        ctx.fillText(e[1], cx, y);
        cx += ctx.measureText(e[1]).width + 18 * k;
      });
    });
    ctx.drawImage(graphCanvas, 0, head + legendH);
    ctx.strokeStyle = "#d9dee4";
    ctx.strokeRect(0.5, head + legendH + 0.5, W - 1, graphCanvas.height - 1);
    ctx.fillStyle = "#5b6775";
    source.forEach(function (line, i) { ctx.fillText(line, pad, head + legendH + graphCanvas.height + 8 * k + i * 17 * k); });
    return out;
  }

  // draws the graph once at twice the resolution, then puts the screen's resolution back
  function exportPicture(done) {
    var c = network.canvas;
    var own = c._setPixelRatio;
    c._setPixelRatio = function () { this.pixelRatio = 2; };
    c.setSize();
    network.once("afterDrawing", function () {
      var picture = composePicture(container.querySelector("canvas"));
      c._setPixelRatio = own;
      c.setSize();
      network.redraw();
      done(picture);
    });
    network.redraw();
  }
  view.exportPicture = exportPicture;

  function download(href, name) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  document.getElementById("pg-png").addEventListener("click", function () {
    exportPicture(function (picture) { download(picture.toDataURL("image/png"), DATA.meta.file + ".png"); });
  });

  // ---- the same picture as SVG: vector shapes and real text (editable in slides), built as an XML document
  // with createElementNS and textContent, so every data text is escaped by the serialiser

  var SVG_FONT = "\"Microsoft YaHei\", \"微软雅黑\", SimHei, \"PingFang SC\", \"Noto Sans CJK SC\", " +
    "\"Source Han Sans SC\", sans-serif";

  function svgPicture() {
    var ns = "http:" + "//www.w3.org/2000/svg";
    var doc = document.implementation.createDocument(ns, "svg", null);
    var root = doc.documentElement;
    function add(parent, tag, attrs, text) {
      var e = doc.createElementNS(ns, tag);
      Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
      if (text !== undefined && text !== null) { e.textContent = String(text); }
      parent.appendChild(e);
      return e;
    }
    function r1(v) { return Math.round(v * 10) / 10; }
    var W = container.clientWidth, H = container.clientHeight, pad = 16;
    var font = getComputedStyle(document.body).fontFamily;
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = "600 20px " + font;
    var titleLines = wrapText(ctx, DATA.meta.title, W - 2 * pad);
    ctx.font = "12px " + font;
    var entries = DATA.types.filter(function (t) { return !hiddenTypes[t.type]; })
      .map(function (t) { return [t.color, t.label + " (" + t.count + ")"]; });
    (DATA.keys || []).forEach(function (key) { entries.push([null, key[1]]); });
    var rows = [[]], x = 0;
    entries.forEach(function (e) {
      var w = (e[0] ? 18 : 0) + ctx.measureText(e[1]).width + 18;
      if (x + w > W - 2 * pad && rows[rows.length - 1].length) { rows.push([]); x = 0; }
      rows[rows.length - 1].push([e[0], e[1], w]);
      x += w;
    });
    var source = DATA.meta.subtitle ? wrapText(ctx, DATA.meta.subtitle, W - 2 * pad) : [];
    var head = pad + titleLines.length * 28 + 6, legendH = rows.length * 20 + 6, foot = source.length * 17 + pad;
    var total = head + legendH + H + foot;
    root.setAttribute("width", W);
    root.setAttribute("height", total);
    root.setAttribute("viewBox", "0 0 " + W + " " + total);
    root.setAttribute("font-family", SVG_FONT);
    root.setAttribute("lang", DATA.meta.lang || "zh");
    add(root, "title", {}, DATA.meta.title);
    add(root, "rect", { width: W, height: total, fill: "#ffffff" });
    titleLines.forEach(function (line, i) {
      add(root, "text", { x: pad, y: pad + i * 28 + 20, "font-size": 20, "font-weight": 600, fill: "#1f2933" }, line);
    });
    rows.forEach(function (row, r) {
      var y = head + r * 20, cx = pad;
      row.forEach(function (e) {
        if (e[0]) {
          add(root, "circle", { cx: r1(cx + 6), cy: y + 7, r: 6, fill: e[0] });
          cx += 18;
        }
        add(root, "text", { x: r1(cx), y: y + 11, "font-size": 12, fill: e[0] ? "#1f2933" : "#5b6775" }, e[1]);
        cx += e[2] - (e[0] ? 18 : 0);
      });
    });
    source.forEach(function (line, i) {
      add(root, "text", { x: pad, y: head + legendH + H + 8 + i * 17 + 12, "font-size": 12, fill: "#5b6775" }, line);
    });

    // the graph, in screen pixels of the canvas as it is now, clipped to it
    var top = head + legendH;
    var clip = add(add(root, "defs"), "clipPath", { id: "pg-clip" });
    add(clip, "rect", { width: W, height: H });
    var g = add(root, "g", { transform: "translate(0 " + top + ")", "clip-path": "url(#pg-clip)" });
    var scale = network.getScale();
    function dom(px, py) { return network.canvasToDOM({ x: px, y: py }); }
    function inView(l, t, r, b) { return r >= -20 && b >= -20 && l <= W + 20 && t <= H + 20; }

    if (DATA.map) {
      var frame = DATA.map.frame;
      var path = function (flat, close) {
        var d = [], l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
        for (var i = 0; i + 1 < flat.length; i += 2) {
          var p = dom((flat[i] - frame[0]) * frame[2], (flat[i + 1] - frame[1]) * frame[2]);
          l = Math.min(l, p.x); r = Math.max(r, p.x); t = Math.min(t, p.y); b = Math.max(b, p.y);
          d.push((i ? "L" : "M") + r1(p.x) + " " + r1(p.y));
        }
        return inView(l, t, r, b) ? d.join("") + (close ? "Z" : "") : "";
      };
      var layer = function (lines, attrs, close) {
        var d = lines.map(function (flat) { return path(flat, close); }).join("");
        if (d) { attrs.d = d; add(g, "path", attrs); }
      };
      layer(DATA.map.land, { fill: "#f4f1e8", stroke: "none" }, true);
      var line = { fill: "none", "stroke-linejoin": "round", "stroke-linecap": "round" };
      var styled = function (extra) { var o = {}; [line, extra].forEach(function (s) { Object.keys(s).forEach(function (k) { o[k] = s[k]; }); }); return o; };
      if (scale * frame[2] >= 0.5) { layer(DATA.map.prefectures, styled({ stroke: "#d9d3c7", "stroke-width": 0.8 })); }
      layer(DATA.map.provinces, styled({ stroke: "#a39c8f", "stroke-width": 1.2 }));
      layer(DATA.map.maritime, styled({ stroke: "#a39c8f", "stroke-width": 1.2 }));
      (DATA.map.rivers || []).forEach(function (river) {
        layer(river.lines, styled({ stroke: RIVER_COLOR, "stroke-width": RIVER_WIDTH }));
        var at = riverLabelPoint(river);
        if (at) {
          var p = dom(at[0], at[1]);
          if (inView(p.x, p.y, p.x, p.y)) {
            add(g, "text", { x: r1(p.x), y: r1(p.y), "font-size": 13, "font-style": "italic", fill: RIVER_COLOR,
              stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", "text-anchor": "middle" }, riverName(river));
          }
        }
      });
    }

    var bodyNodes = network.body.nodes;
    function shown(id) { var n = bodyNodes[id]; return n && !n.options.hidden; }
    var edgeIds = network.body.edgeIndices;
    edgeIds.forEach(function (id) {
      var e = network.body.edges[id];
      if (!e || e.options.hidden || !shown(e.fromId) || !shown(e.toId)) { return; }
      var a = dom(e.from.x, e.from.y), b = dom(e.to.x, e.to.y);
      if (!inView(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y))) { return; }
      var c = e.options.color || {}, width = (e.options.width || 1) * scale;
      var attrs = { x1: r1(a.x), y1: r1(a.y), x2: r1(b.x), y2: r1(b.y), stroke: c.color || "#b6bec8",
        "stroke-width": r1(Math.max(width, 0.5)) };
      if (c.opacity !== undefined && c.opacity < 1) { attrs["stroke-opacity"] = c.opacity; }
      if (e.options.dashes) {
        var dash = Array.isArray(e.options.dashes) ? e.options.dashes : [5, 5];
        attrs["stroke-dasharray"] = dash.map(function (v) { return r1(v * scale); }).join(" ");
      }
      add(g, "line", attrs);
      var arrow = e.options.arrows && e.options.arrows.to;
      if (arrow && arrow.enabled) { // a small head at the border of the target's circle
        var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy);
        var rTo = (e.to.options.size || 10) * scale;
        if (len > rTo + 1) {
          var ux = dx / len, uy = dy / len, tipX = b.x - ux * rTo, tipY = b.y - uy * rTo;
          var size = (10 + 5 * (e.options.width || 1)) * (arrow.scaleFactor || 1) * scale;
          var bx = tipX - ux * size, by = tipY - uy * size;
          var pts = [[tipX, tipY], [bx - uy * size * 0.45, by + ux * size * 0.45], [bx + uy * size * 0.45, by - ux * size * 0.45]];
          var head = { points: pts.map(function (p) { return r1(p[0]) + "," + r1(p[1]); }).join(" "), fill: attrs.stroke };
          if (attrs["stroke-opacity"]) { head["fill-opacity"] = attrs["stroke-opacity"]; }
          add(g, "polygon", head);
        }
      }
    });
    var order = network.body.nodeIndices.slice();
    order.forEach(function (id) {
      if (!shown(id)) { return; }
      var n = bodyNodes[id], o = n.options, p = dom(n.x, n.y), r = (o.size || 10) * scale;
      if (!inView(p.x - r, p.y - r, p.x + r, p.y + r)) { return; }
      var c = o.color || {};
      var attrs = { cx: r1(p.x), cy: r1(p.y), r: r1(r), fill: c.background || "#999999", stroke: c.border || "#ffffff",
        "stroke-width": r1(Math.max((o.borderWidth || 1) * scale, 0.5)) };
      if (o.opacity !== undefined && o.opacity < 1) { attrs.opacity = o.opacity; }
      var dashes = o.shapeProperties && o.shapeProperties.borderDashes;
      if (dashes && dashes.length) { attrs["stroke-dasharray"] = dashes.map(function (v) { return r1(v * scale); }).join(" "); }
      add(g, "circle", attrs);
    });
    order.forEach(function (id) {
      if (!shown(id) || !labelShown[id]) { return; }
      var n = bodyNodes[id], o = n.options, box = labelBox(id);
      if (!o.label || !box) { return; }
      var a = { x: box.left, y: box.top }, b = { x: box.right, y: box.bottom };
      if (!inView(a.x, a.y, b.x, b.y)) { return; }
      var lines = String(o.label).split("\n"), size = o.font.size * scale, step = (b.y - a.y) / lines.length;
      var attrs = { x: r1((a.x + b.x) / 2), "font-size": r1(size), fill: "#1f2933", stroke: "#ffffff",
        "stroke-width": r1((o.font.strokeWidth || 0) * scale), "stroke-linejoin": "round", "paint-order": "stroke",
        "text-anchor": "middle" };
      if (typeOf(id) === "city") { attrs["font-weight"] = 600; }
      if (o.opacity !== undefined && o.opacity < 1) { attrs.opacity = o.opacity; }
      lines.forEach(function (text, i) {
        var at = {};
        Object.keys(attrs).forEach(function (k) { at[k] = attrs[k]; });
        at.y = r1(a.y + step * i + step / 2 + size * 0.35);
        add(g, "text", at, text);
      });
    });
    add(root, "rect", { y: top + 0.5, x: 0.5, width: W - 1, height: H - 1, fill: "none", stroke: "#d9dee4" });
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + new XMLSerializer().serializeToString(doc) + "\n";
  }
  view.svgPicture = svgPicture;

  document.getElementById("pg-svg").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([svgPicture()], { type: "image/svg+xml" }));
    download(url, DATA.meta.file + ".svg");
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  });

  // ---- labels: a readable size at any zoom, hidden by importance where they would collide, shown on hover

  // the smallest on-screen size of each type's labels, in CSS pixels
  var MIN_LABEL = { city: 14, theme: 13, initiative: 12, province: 12, practice: 11 };
  var TYPE_PRIORITY = { city: 0, theme: 1, initiative: 2, province: 3, practice: 4 };
  var nominal = {};
  DATA.nodes.forEach(function (n) { nominal[n.id] = n.font && n.font.size ? n.font.size : 12; });
  var labelShown = {};
  var hovered = null;
  var focusSet = null; // the selected node and its neighbours: labelled first
  var labelsDirty = true;
  var lastScale = null;
  var labelScale = 1; // larger in the presentation mode (present.js)
  view.labelShown = labelShown;
  view.subject = DATA.meta.subject || null;
  view.setLabelScale = function (k) { labelScale = k; lastScale = null; resizeLabels(); markLabels(); };

  function priorityOrder() {
    var ids = nodes.getIds({ filter: function (n) { return !n.hidden; } });
    function key(id) {
      var n = nodes.get(id);
      var first = id === DATA.meta.subject || id === hovered ? 0 : focusSet && focusSet[id] ? 1 : 2;
      return [first, TYPE_PRIORITY.hasOwnProperty(n.type) ? TYPE_PRIORITY[n.type] : 5, -(n.weight || 0), n.label || ""];
    }
    var keys = {};
    ids.forEach(function (id) { keys[id] = key(id); });
    ids.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      for (var i = 0; i < x.length; i++) { if (x[i] < y[i]) { return -1; } if (x[i] > y[i]) { return 1; } }
      return 0;
    });
    return ids;
  }

  // font sizes in canvas units such that each label is at least its type's minimum size on screen
  function resizeLabels() {
    var scale = network.getScale();
    if (lastScale !== null && Math.abs(scale - lastScale) / lastScale < 0.02) { return false; }
    lastScale = scale;
    var updates = [];
    DATA.nodes.forEach(function (n) {
      var want = Math.max(nominal[n.id] * labelScale, (MIN_LABEL[n.type] || 11) * labelScale / scale);
      updates.push({ id: n.id, font: { size: Math.round(want * 100) / 100 } });
    });
    nodes.update(updates);
    return true;
  }

  // a label is drawn below its node, or above it (vis-network's font.vadjust, in canvas units) where below it
  // would cover another node; labelModule.size does not include vadjust, so the boxes here add it
  var labelShift = {};
  view.labelShift = labelShift;

  function labelBox(id, shift) {
    var body = network.body.nodes[id];
    if (!body || !body.labelModule || !body.labelModule.size) { return null; }
    var s = body.labelModule.size;
    if (!s.width) { return null; }
    var dy = shift === undefined ? labelShift[id] || 0 : shift;
    var a = network.canvasToDOM({ x: s.left, y: s.top + dy });
    var b = network.canvasToDOM({ x: s.left + s.width, y: s.top + s.height + dy });
    return { left: a.x, top: a.y, right: b.x, bottom: b.y };
  }
  view.labelBox = labelBox;

  // the shift that puts the label as far above the node as it is below it by default
  function aboveShift(id) {
    var body = network.body.nodes[id], s = body.labelModule.size;
    return -Math.round((2 * (s.top - body.y) + s.height) * 100) / 100;
  }

  // greedy: in order of importance, a label is shown below or else above its node when its box (with a small gap)
  // meets no shown label's box and no other node's circle; the subject of the view and the hovered node keep theirs
  function placeLabels() {
    var width = container.clientWidth, height = container.clientHeight, scale = network.getScale();
    var cell = 64, grid = {}, discs = {}, changes = [], shownNow = {}, shiftNow = {};
    function cells(b, fn) {
      for (var gx = Math.floor(b.left / cell); gx <= Math.floor(b.right / cell); gx++) {
        for (var gy = Math.floor(b.top / cell); gy <= Math.floor(b.bottom / cell); gy++) {
          if (fn(gx + ":" + gy) === false) { return false; }
        }
      }
      return true;
    }
    network.body.nodeIndices.forEach(function (id) {
      var n = network.body.nodes[id];
      if (!n || n.options.hidden) { return; }
      var p = network.canvasToDOM({ x: n.x, y: n.y });
      var r = ((n.options.size || 10) + (n.options.borderWidth || 1) / 2) * scale + 1;
      if (p.x + r < 0 || p.y + r < 0 || p.x - r > width || p.y - r > height) { return; }
      var d = { id: id, x: p.x, y: p.y, r: r };
      cells({ left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r }, function (k) { (discs[k] = discs[k] || []).push(d); });
    });
    // null when the box meets a shown label, else the nodes whose circles it would cover
    function blockers(g, own) {
      var hit = [], seen = {};
      var clear = cells(g, function (k) {
        var list = grid[k] || [], i;
        for (i = 0; i < list.length; i++) {
          var o = list[i];
          if (g.left < o.right && o.left < g.right && g.top < o.bottom && o.top < g.bottom) { return false; }
        }
        list = discs[k] || [];
        for (i = 0; i < list.length; i++) {
          var d = list[i];
          if (d.id === own || seen[d.id]) { continue; }
          if (covers(g, d)) { seen[d.id] = true; hit.push(d); }
        }
        return true;
      });
      return clear ? hit : null;
    }
    function covers(g, d) {
      var qx = Math.max(g.left, Math.min(d.x, g.right)) - d.x, qy = Math.max(g.top, Math.min(d.y, g.bottom)) - d.y;
      return qx * qx + qy * qy < d.r * d.r;
    }
    function onLabel(d) {
      var clash = false;
      cells({ left: d.x - d.r, top: d.y - d.r, right: d.x + d.r, bottom: d.y + d.r }, function (k) {
        (grid[k] || []).forEach(function (o) { if (covers(o, d)) { clash = true; } });
        return !clash;
      });
      return clash;
    }
    // a city's label may push the practices and initiatives it would cover out of its way, up or down
    function pushAside(g, list) {
      var moves = [];
      for (var i = 0; i < list.length; i++) {
        var d = list[i], n = network.body.nodes[d.id];
        if (typeOf(d.id) === "city" || (n.options.fixed && (n.options.fixed.x || n.options.fixed.y))) { return false; }
        var up = d.y < (g.top + g.bottom) / 2;
        var ys = up ? [g.top - d.r - 3, g.bottom + d.r + 3] : [g.bottom + d.r + 3, g.top - d.r - 3];
        var to = null;
        for (var j = 0; j < ys.length && to === null; j++) {
          if (!onLabel({ x: d.x, y: ys[j], r: d.r })) { to = ys[j]; }
        }
        if (to === null) { return false; }
        moves.push([d, to]);
      }
      moves.forEach(function (m) {
        var d = m[0], c = network.DOMtoCanvas({ x: d.x, y: m[1] });
        network.moveNode(d.id, c.x, c.y);
        d.y = m[1];
        cells({ left: d.x - d.r, top: d.y - d.r, right: d.x + d.r, bottom: d.y + d.r }, function (k) { (discs[k] = discs[k] || []).push(d); });
      });
      return true;
    }
    // the river's name is kept clear of the labels
    var measure = document.createElement("canvas").getContext("2d");
    measure.font = "italic 13px " + getComputedStyle(document.body).fontFamily;
    ((DATA.map && DATA.map.rivers) || []).forEach(function (river) {
      var at = riverLabelPoint(river);
      if (!at) { return; }
      var p = network.canvasToDOM({ x: at[0], y: at[1] }), half = measure.measureText(riverName(river)).width / 2 + 2;
      var box = { left: p.x - half, top: p.y - 13, right: p.x + half, bottom: p.y + 3 };
      cells(box, function (k) { (grid[k] = grid[k] || []).push(box); });
    });
    var moved = false;
    priorityOrder().forEach(function (id) {
      var base = labelBox(id, 0);
      var show = false, shift = 0, g = null, b, t;
      if (base) {
        var tries = [0, aboveShift(id)], boxes = [];
        for (t = 0; t < tries.length && !show; t++) {
          b = labelBox(id, tries[t]);
          g = { left: b.left - 2, top: b.top - 1, right: b.right + 2, bottom: b.bottom + 1 };
          boxes.push(g);
          if (g.right < 0 || g.bottom < 0 || g.left > width || g.top > height) { show = true; shift = tries[t]; g = null; }
          else {
            var hit = blockers(g, id);
            if (hit && !hit.length) { show = true; shift = tries[t]; }
          }
        }
        if (!show && typeOf(id) === "city") {
          for (t = 0; t < tries.length && !show; t++) {
            var list = blockers(boxes[t], id);
            if (list && pushAside(boxes[t], list)) { show = true; shift = tries[t]; g = boxes[t]; moved = true; }
          }
        }
        if (!show && (id === DATA.meta.subject || id === hovered)) {
          b = labelBox(id, 0);
          g = { left: b.left - 2, top: b.top - 1, right: b.right + 2, bottom: b.bottom + 1 };
          show = true;
        }
        if (show && g) { cells(g, function (k) { (grid[k] = grid[k] || []).push(g); }); }
      }
      shownNow[id] = show;
      shiftNow[id] = shift;
    });
    DATA.nodes.forEach(function (n) {
      var show = !!shownNow[n.id], shift = show ? shiftNow[n.id] || 0 : labelShift[n.id] || 0;
      if (labelShown[n.id] !== show || (labelShift[n.id] || 0) !== shift) {
        labelShown[n.id] = show;
        labelShift[n.id] = shift;
        var font = show ? { color: "#1f2933", strokeWidth: 4 } : { color: "rgba(0,0,0,0)", strokeWidth: 0 };
        font.vadjust = shift;
        changes.push({ id: n.id, font: font });
      }
    });
    if (changes.length) { nodes.update(changes); }
    // nodes pushed aside are measured again at the next drawing: the labels are placed once more then
    if (!moved) { document.body.setAttribute("data-labels", String(Date.now())); }
    return moved;
  }

  var pushes = 0; // passes in a row that pushed nodes aside (bounded, so that placing always ends)
  function markLabels() { labelsDirty = true; network.redraw(); }
  var zoomTimer = null;
  network.on("zoom", function () {
    clearTimeout(zoomTimer);
    zoomTimer = setTimeout(function () { resizeLabels(); markLabels(); }, 120);
  });
  network.on("dragEnd", markLabels);
  network.on("afterDrawing", function () {
    if (!labelsDirty || !view.stable) { return; }
    labelsDirty = false;
    if (resizeLabels()) { labelsDirty = true; return; } // the new sizes are measured at the next drawing
    if (placeLabels() && pushes < 3) { pushes += 1; labelsDirty = true; network.redraw(); return; }
    if (pushes) { pushes = 0; document.body.setAttribute("data-labels", String(Date.now())); }
  });
  network.on("hoverNode", function (p) { hovered = p.node; markLabels(); });
  network.on("blurNode", function () { hovered = null; markLabels(); });
  view.relabel = markLabels;

  // ---- selection: the node and its neighbours stand out, the rest fades

  var edgeColor = {};
  DATA.edges.forEach(function (e) { edgeColor[e.id] = e.color || null; });
  var DIM = 0.15;
  function highlight(id) {
    focusSet = null;
    var nodeUpdates = [], edgeUpdates = [];
    if (id !== null) {
      focusSet = {};
      focusSet[id] = true;
      network.getConnectedNodes(id).forEach(function (x) { focusSet[x] = true; });
      var near = {};
      network.getConnectedEdges(id).forEach(function (x) { near[x] = true; });
    }
    DATA.nodes.forEach(function (n) {
      nodeUpdates.push({ id: n.id, opacity: focusSet && !focusSet[n.id] ? DIM : 1 });
    });
    DATA.edges.forEach(function (e) {
      var c = edgeColor[e.id] || { color: "#b6bec8", highlight: "#33475b", hover: "#33475b", inherit: false };
      var copy = {};
      Object.keys(c).forEach(function (k) { copy[k] = c[k]; });
      copy.opacity = focusSet && !near[e.id] ? DIM : 1;
      edgeUpdates.push({ id: e.id, color: copy });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    view.focusSet = focusSet;
    markLabels();
  }
  network.on("selectNode", function (p) { highlight(p.nodes[0]); });
  network.on("deselectNode", function (p) { if (!p.nodes.length) { highlight(null); } });
  view.highlight = highlight;

  // ---- legend: one button per node type; a click hides or shows that type

  var idsByType = {};
  DATA.nodes.forEach(function (n) { (idsByType[n.type] = idsByType[n.type] || []).push(n.id); });
  var legend = document.getElementById("pg-legend");
  legend.appendChild(el("span", UI.legend_title, "pg-legend-title"));
  DATA.types.forEach(function (t) {
    var b = el("button", null, "pg-legend-item");
    b.type = "button";
    b.setAttribute("data-type", t.type);
    b.setAttribute("aria-pressed", "true");
    var sw = el("span", null, "pg-swatch");
    sw.style.background = t.color;
    b.appendChild(sw);
    b.appendChild(document.createTextNode(t.label + " (" + t.count + ")"));
    b.addEventListener("click", function () { setTypeHidden(t.type, !hiddenTypes[t.type]); });
    legend.appendChild(b);
  });

  (DATA.keys || []).forEach(function (k) {
    var s = el("span", k[1], "pg-key");
    s.setAttribute("data-key", k[0]);
    legend.appendChild(s);
  });

  // hiding practices keeps each city joined to the initiatives it reaches through them (dashed)
  var bridgeIds = (DATA.bridges || []).map(function (b, i) { return "bridge" + i; });
  function setTypeHidden(type, hidden) {
    hiddenTypes[type] = hidden;
    nodes.update((idsByType[type] || []).map(function (id) { return { id: id, hidden: hidden || !!provinceHidden[id] }; }));
    if (type === "practice" && bridgeIds.length) {
      if (hidden) {
        edges.update((DATA.bridges || []).map(function (b, i) {
          return { id: bridgeIds[i], from: b[0], to: b[1], dashes: [2, 4], relation: "adopts", title: nameOf(b[0]) + " " + DATA.relationLabels.adopts[0] + " " + nameOf(b[1]) };
        }));
      } else {
        edges.remove(bridgeIds);
      }
    }
    markLabels();
    var b = legend.querySelector('button[data-type="' + type + '"]');
    if (b) {
      b.classList.toggle("pg-off", hidden);
      b.setAttribute("aria-pressed", hidden ? "false" : "true");
    }
  }

  // ---- filters: one province's cities and practices; similarity links above a threshold

  var filters = document.getElementById("pg-filters");
  var provinceHidden = {};
  function applyProvince(province) {
    var updates = [];
    DATA.nodes.forEach(function (n) {
      if (!n.province) { return; }
      var out = province !== "" && n.province !== province;
      if (!!provinceHidden[n.id] === out) { return; }
      provinceHidden[n.id] = out;
      updates.push({ id: n.id, hidden: out || !!hiddenTypes[n.type] });
    });
    nodes.update(updates);
    // an initiative none of whose cities or practices is left goes too
    var lone = [];
    DATA.nodes.forEach(function (n) {
      if (n.type !== "initiative") { return; }
      var near = network.getConnectedNodes(n.id).filter(function (x) { return typeOf(x) === "city" || typeOf(x) === "practice"; });
      var out = province !== "" && near.length > 0 && near.every(function (x) { return provinceHidden[x]; });
      if (!!provinceHidden[n.id] === out) { return; }
      provinceHidden[n.id] = out;
      lone.push({ id: n.id, hidden: out || !!hiddenTypes[n.type] });
    });
    nodes.update(lone);
    markLabels();
  }
  view.filterProvince = applyProvince;
  if ((DATA.provinces || []).length > 1 && DATA.meta.kind !== "city") {
    var select = el("select", null, "pg-filter");
    select.id = "pg-province";
    select.title = UI.province_filter;
    select.setAttribute("aria-label", UI.province_filter);
    var all = el("option", UI.all_provinces);
    all.value = "";
    select.appendChild(all);
    DATA.provinces.forEach(function (p) {
      var o = el("option", nameOf(p));
      o.value = p;
      select.appendChild(o);
    });
    select.addEventListener("change", function () { applyProvince(select.value); });
    filters.appendChild(select);
  }
  var similar = DATA.edges.filter(function (e) { return e.relation === "similar"; });
  if (similar.length > 1 && DATA.meta.kind === "similarity") {
    var top = Math.max.apply(null, similar.map(function (e) { return e.value || 0; }));
    var label = el("label", UI.threshold + " ", "pg-filter");
    label.title = UI.threshold_title;
    var slider = el("input");
    slider.type = "range";
    slider.id = "pg-threshold";
    slider.min = "0";
    slider.max = String(Math.ceil(top * 100) / 100);
    slider.step = "0.01";
    slider.value = "0";
    var shown = el("span", "0.00", "pg-num");
    slider.addEventListener("input", function () {
      var t = Number(slider.value);
      shown.textContent = t.toFixed(2);
      edges.update(similar.map(function (e) { return { id: e.id, hidden: (e.value || 0) < t }; }));
    });
    label.appendChild(slider);
    label.appendChild(shown);
    filters.appendChild(label);
  }

  // ---- search over Chinese names, English names, aliases and ids (normalised as the command line does)

  function norm(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/[\s\-_'\u2019\u00b7.]+/g, "");
  }
  var typeRank = { city: 0, initiative: 1, theme: 2, province: 3, practice: 4 };

  function search(query) {
    var q = norm(query);
    if (!q) { return []; }
    var hits = [];
    DATA.search.forEach(function (entry) {
      var best = 9;
      entry[1].forEach(function (key) {
        var s = key === q ? 0 : key.indexOf(q) === 0 ? 1 : key.indexOf(q) > 0 ? 2 : 9;
        if (s < best) { best = s; }
      });
      if (best < 9) { var t = typeOf(entry[0]);
        hits.push([best, Object.prototype.hasOwnProperty.call(typeRank, t) ? typeRank[t] : 5, nameOf(entry[0]), entry[0]]); }
    });
    hits.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
    return hits.map(function (h) { return h[3]; });
  }

  var input = document.getElementById("pg-search");
  var results = document.getElementById("pg-results");

  function showResults() {
    var ids = search(input.value);
    results.replaceChildren();
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!ids.length) {
      results.appendChild(el("li", UI.nothing_found, "pg-none"));
    }
    ids.slice(0, 15).forEach(function (id) {
      var d = DATA.details[id];
      var li = el("li");
      var b = el("button", null);
      b.type = "button";
      var sw = el("span", null, "pg-swatch");
      var n = nodes.get(id);
      sw.style.background = n && n.color ? n.color.background : "#999999";
      b.appendChild(sw);
      b.appendChild(document.createTextNode(nameOf(id) + (d.en ? " · " + d.en : "") + " · " + (typeLabel[typeOf(id)] || typeOf(id))));
      b.addEventListener("click", function () { pick(id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    results.hidden = false;
  }

  function pick(id) {
    results.hidden = true;
    focusNode(id);
  }

  input.addEventListener("input", showResults);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      var ids = search(input.value);
      if (ids.length) { pick(ids[0]); }
      e.preventDefault();
    } else if (e.key === "Escape") {
      input.value = "";
      results.hidden = true;
    } else if (e.key === "ArrowDown") {
      var first = results.querySelector("button");
      if (first) { first.focus(); e.preventDefault(); }
    }
  });
  document.addEventListener("click", function (e) {
    if (!document.getElementById("pg-searchbox").contains(e.target)) { results.hidden = true; }
  });

  // ---- focus and the details panel

  function focusNode(id) {
    var n = nodes.get(id);
    if (!n) { return false; }
    if (hiddenTypes[n.type]) { setTypeHidden(n.type, false); }
    network.selectNodes([id]);
    highlight(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 350 } });
    showNode(id);
    return true;
  }

  function nodeLink(id, text) {
    if (nodes.get(id)) {
      var b = el("button", text, "pg-link");
      b.type = "button";
      b.setAttribute("data-node", id);
      b.addEventListener("click", function () { focusNode(id); });
      return b;
    }
    var s = el("span", text, "pg-absent");
    s.title = UI.not_in_view;
    return s;
  }

  // a quote in Chinese quotation marks, unless it already stands in a pair of them
  function quoted(text) {
    return /^“[^“”]*”$/.test(text) ? text : "“" + text + "”";
  }

  // a quote with the rest of its sentence from the source text around it, the quote itself marked; the source
  // is named on hover and once at the end of the section (see sources())
  function quote(parent, text, documentIndex, before, after, used) {
    if (!text) { return; }
    var q = el("blockquote");
    if (before || after) {
      if (before) { q.appendChild(el("span", before, "pg-ctx")); }
      q.appendChild(el("mark", text));
      if (after) { q.appendChild(el("span", after, "pg-ctx")); }
    } else {
      q.appendChild(el("mark", quoted(text)));
    }
    if (documentIndex >= 0) {
      q.title = UI.source + DATA.documents[documentIndex];
      if (used) { used[documentIndex] = true; }
    }
    parent.appendChild(q);
  }

  function sources(parent, used) {
    var list = Object.keys(used).map(Number).sort(function (a, b) { return a - b; });
    if (!list.length) { return; }
    parent.appendChild(el("div", UI.source + list.map(function (i) { return DATA.documents[i]; }).join("；"), "pg-doc"));
  }

  function section(title, help, helpLong) {
    var h = el("h3", title);
    panel.appendChild(h);
    if (help) {
      var p = el("p", help, "pg-help");
      if (helpLong) { p.title = helpLong; }
      panel.appendChild(p);
    }
    return h;
  }

  function linkList(parent, label, ids) {
    if (!ids.length) { return; }
    var sub = el("div", label);
    ids.forEach(function (x, i) {
      if (i) { sub.appendChild(document.createTextNode("、")); }
      sub.appendChild(nodeLink(x, nameOf(x)));
    });
    parent.appendChild(sub);
  }

  function evidenceRows(city, initiative) {
    return (evidenceOf[city] || []).map(function (k) { return DATA.evidence[k]; })
      .filter(function (e) { return e[1] === initiative; });
  }

  // each city's quotes for an initiative, one city after the other
  function bothSides(parent, cities, initiative, used) {
    cities.forEach(function (c) {
      var rows = evidenceRows(c, initiative);
      if (!rows.length) { return; }
      parent.appendChild(el("div", nameOf(c) + "：", "pg-who"));
      var seen = {};
      rows.forEach(function (e) {
        if (seen[e[3]]) { return; }
        seen[e[3]] = true;
        quote(parent, e[3], e[4], e[5], e[6], used);
      });
    });
  }

  function isSignificant(p) { return p !== null && p <= DATA.meta.significance; }

  function scoreText(score, p) {
    return score.toFixed(3) + (p !== null ? " · p = " + p + (isSignificant(p) ? " *" : "") : "");
  }

  // ---- back and forward through the nodes shown, and the node in the address (#id)

  var trail = [], at = -1;
  function remember(id) {
    if (trail[at] === id) { return; }
    trail = trail.slice(0, at + 1);
    trail.push(id);
    at = trail.length - 1;
  }
  function step(delta) {
    var next = at + delta;
    if (next < 0 || next >= trail.length) { return; }
    at = next;
    var id = trail[at];
    network.selectNodes([id]);
    highlight(id);
    showNode(id, true);
  }
  view.back = function () { step(-1); };
  view.forward = function () { step(1); };

  function navButtons() {
    var nav = el("div", null, "pg-nav");
    [["pg-back", "← " + UI.back, -1], ["pg-forward", UI.forward + " →", 1]].forEach(function (b) {
      var button = el("button", b[1], "pg-navbutton");
      button.type = "button";
      button.id = b[0];
      var next = at + b[2];
      button.disabled = next < 0 || next >= trail.length;
      button.addEventListener("click", function () { step(b[2]); });
      nav.appendChild(button);
    });
    return nav;
  }

  function showPeers(id, d) {
    var strong = d.peers.filter(function (p) { return isSignificant(p[3]); });
    var weak = d.peers.filter(function (p) { return !isSignificant(p[3]); });
    section(UI.peers_title + "（" + DATA.meta.metric + "）", UI.peers_help, UI.peers_help_long);
    if (!strong.length) { panel.appendChild(el("p", UI.no_significant, "pg-note")); }
    function list(items, className, parent) {
      var ul = el("ul", null, className);
      items.forEach(function (p) {
        var li = el("li");
        li.appendChild(nodeLink(p[0], nameOf(p[0])));
        var num = el("span", "  " + scoreText(p[2], p[3]), "pg-num");
        num.title = UI.score_hover;
        li.appendChild(num);
        if (p[5]) { // how stable the peer is when links are left out, and the one link it rests on
          var held = el("span", " · " + (UI[p[5]] || p[5]) + " " + Number(p[6]).toFixed(2), "pg-num pg-stability pg-" + p[5]);
          held.title = UI.stability_hover;
          li.appendChild(held);
        }
        if (p[7]) {
          var rests = el("div", UI.rests_on + p[7] + (p[8] ? " " + quoted(p[8]) : ""), "pg-doc pg-critical");
          if (p[8]) { rests.title = quoted(p[8]); }
          li.appendChild(rests);
        }
        linkList(li, UI.shared, p[4]);
        if (p[4].length) {
          var why = el("details", null, "pg-why");
          why.appendChild(el("summary", UI.why));
          var used = {};
          p[4].forEach(function (x) {
            why.appendChild(el("div", nameOf(x), "pg-what"));
            bothSides(why, [id, p[0]], x, used);
          });
          sources(why, used);
          li.appendChild(why);
        }
        ul.appendChild(li);
      });
      (parent || panel).appendChild(ul);
    }
    if (strong.length) { list(strong, "pg-peers"); }
    if (weak.length) { // folded when there are significant peers: the lessons come first
      var box = el("details", null, "pg-weak-box");
      box.open = !strong.length;
      var h = el("summary", UI.weak_title + " · " + weak.length, "pg-weak-title");
      h.title = UI.weak_help;
      box.appendChild(h);
      list(weak, "pg-peers pg-weak", box);
      panel.appendChild(box);
    }
  }

  function showLearn(id, d) {
    section(UI.learn_title, UI.learn_help, UI.learn_help_long);
    if (!d.recommendations) {
      panel.appendChild(el("p", UI.not_precomputed + nameOf(id), "pg-note"));
      return;
    }
    if (!d.recommendations.length) { panel.appendChild(el("p", UI.none, "pg-note")); return; }
    var weakPeer = {};
    (d.peers || []).forEach(function (p) { if (!isSignificant(p[3])) { weakPeer[p[0]] = true; } });
    var strongPeer = {};
    (d.peers || []).forEach(function (p) { if (isSignificant(p[3])) { strongPeer[p[0]] = true; } });
    var ur = el("ul", null, "pg-recommendations");
    d.recommendations.forEach(function (r) {
      var li = el("li");
      li.appendChild(nodeLink(r[0], nameOf(r[0])));
      var num = el("span", "  " + r[2].toFixed(3), "pg-num");
      num.title = UI.learn_hover;
      li.appendChild(num);
      linkList(li, UI.learn_from, r[3]);
      if (r[3].length && !r[3].some(function (c) { return strongPeer[c]; })) {
        li.appendChild(el("div", UI.rests_on_weak, "pg-caveat"));
        li.classList.add("pg-weak");
      }
      var why = el("details", null, "pg-why");
      why.appendChild(el("summary", UI.why_learn));
      var used = {};
      bothSides(why, r[3], r[0], used);
      sources(why, used);
      li.appendChild(why);
      ur.appendChild(li);
    });
    panel.appendChild(ur);
  }

  function showNode(id, fromTrail) {
    var d = DATA.details[id];
    if (!d) { return; }
    if (!fromTrail) { remember(id); }
    try { history.replaceState(null, "", "#" + encodeURIComponent(id)); } catch (err) { /* a sandboxed page */ }
    var type = typeOf(id);
    panel.replaceChildren();
    panel.setAttribute("data-node", id);
    panel.appendChild(navButtons());
    var h = el("h2");
    var sw = el("span", null, "pg-swatch");
    var n = nodes.get(id);
    sw.style.background = n && n.color ? n.color.background : "#999999";
    h.appendChild(sw);
    h.appendChild(document.createTextNode(nameOf(id)));
    panel.appendChild(h);
    var summary = [typeLabel[type] || type];
    if (d.en) { summary.push(d.en); }
    if (d.count) { summary.push(d.count); }
    panel.appendChild(el("p", summary.join(" · "), "pg-summary"));

    if (d.peers) { showPeers(id, d); }
    if (type === "city") { showLearn(id, d); }
    var evs = evidenceOf[id] || [];
    if (evs.length && (type === "city" || type === "initiative")) {
      section(type === "city" ? UI.adopted_city : UI.adopted_initiative);
      var ua = el("ul", null, "pg-adoptions");
      var last = null, li = null, used = {}, seen = {};
      evs.forEach(function (k) {
        var e = DATA.evidence[k];
        var other = type === "city" ? e[1] : e[0];
        if (other !== last) {
          li = el("li");
          li.appendChild(nodeLink(other, nameOf(other)));
          ua.appendChild(li);
          last = other;
          seen = {};
        }
        var line = el("div", UI.practice, "pg-doc");
        line.appendChild(nodeLink(e[2], nameOf(e[2])));
        li.appendChild(line);
        if (!seen[e[3]]) { quote(li, e[3], e[4], e[5], e[6], used); seen[e[3]] = true; }
      });
      panel.appendChild(ua);
      sources(panel, used);
    }
    var rels = relationsOf[id] || [];
    if (rels.length) {
      section(UI.relations_title);
      var ul2 = el("ul", null, "pg-relations");
      var used2 = {};
      rels.forEach(function (k) {
        var r = DATA.relations[k];
        var out = r[0] === id;
        var other = out ? r[2] : r[0];
        var labels = DATA.relationLabels[r[1]] || [r[1], r[1]];
        var li2 = el("li");
        li2.appendChild(document.createTextNode((out ? labels[0] : labels[1]) + " "));
        li2.appendChild(nodeLink(other, nameOf(other)));
        quote(li2, r[3], r[4], r[5], r[6], used2);
        ul2.appendChild(li2);
      });
      panel.appendChild(ul2);
      sources(panel, used2);
    }
    var facts = el("details", null, "pg-facts");
    if (type !== "city" && type !== "initiative") { facts.open = true; }
    facts.appendChild(el("summary", UI.facts_title));
    var dl = el("dl");
    d.rows.forEach(function (r) { dl.appendChild(el("dt", r[0])); dl.appendChild(el("dd", r[1])); });
    facts.appendChild(dl);
    panel.appendChild(facts);
    panel.scrollTop = 0;
  }

  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    panel.replaceChildren();
    panel.removeAttribute("data-node");
    panel.appendChild(navButtons());
    var h = el("h2", null);
    h.appendChild(nodeLink(e.from, nameOf(e.from)));
    h.appendChild(document.createTextNode(" — "));
    h.appendChild(nodeLink(e.to, nameOf(e.to)));
    panel.appendChild(h);
    panel.appendChild(el("pre", e.title));
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    }
  });

  // a view about one city, initiative or theme opens with its details shown and the node selected
  var wanted = null;
  try { wanted = decodeURIComponent(location.hash.slice(1)); } catch (err) { wanted = null; }
  var opening = wanted && nodes.get(wanted) ? wanted : DATA.meta.subject && nodes.get(DATA.meta.subject) ? DATA.meta.subject : null;
  if (opening) {
    network.selectNodes([opening]);
    // a city view is all about its city: it opens with nothing faded
    if (!(DATA.meta.kind === "city" && opening === DATA.meta.subject)) { highlight(opening); }
    showNode(opening);
  }
})();
