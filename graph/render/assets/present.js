/* practice-graph view: a presentation mode for a meeting. The 演示 button or the key P goes full screen, hides
   the panel and the filters and enlarges the labels; the arrow keys step through the cities of the view (or,
   where cities are joined by similarity, through the pairs, most similar first), each focused with a caption;
   Esc leaves (the keys and the full screen: presenting.js). Captions are written with textContent only. */
(function () {
  "use strict";

  var view = window.pgView;
  if (!view) { return; }
  var network = view.network, nodes = view.nodes, edges = view.edges;
  var zh = (document.documentElement.lang || "zh").slice(0, 2) === "zh";
  var T = zh ? {
    present: "演示",
    title: "演示模式（P）：全屏、大字、隐藏侧栏，←/→ 逐个城市或城市对，Esc 退出",
    hint: "←/→ 上一个 / 下一个 · Esc 退出"
  } : {
    present: "Present",
    title: "Presentation mode (P): full screen, large labels, no side panel, ←/→ through cities or pairs, Esc to leave",
    hint: "←/→ previous / next · Esc to leave"
  };
  var LABEL_SCALE = 1.7;
  var state = { on: false, at: -1, kind: null, items: [] };

  var style = document.createElement("style");
  style.textContent = [
    "body.pg-presenting #pg-panel, body.pg-presenting #pg-searchbox, body.pg-presenting #pg-filters,",
    "body.pg-presenting #pg-relayout { display: none !important; }",
    "body.pg-presenting #pg-title { font-size: 26px; }",
    "#pg-caption { position: fixed; left: 0; right: 0; bottom: 0; z-index: 20; background: rgba(31, 41, 51, .92);",
    "  color: #ffffff; padding: 10px 22px; font-size: 22px; line-height: 1.45; }",
    "#pg-caption .pg-cap-sub { font-size: 16px; opacity: .85; white-space: pre-line; }",
    "#pg-caption .pg-cap-hint { float: right; font-size: 13px; opacity: .7; }"
  ].join("\n");
  document.head.appendChild(style);

  var button = document.createElement("button");
  button.type = "button";
  button.id = "pg-present";
  button.textContent = T.present;
  button.title = T.title;
  var controls = document.getElementById("pg-controls");
  if (controls) { controls.appendChild(button); }
  var caption = document.createElement("div");
  caption.id = "pg-caption";
  caption.hidden = true;
  caption.setAttribute("aria-live", "polite");
  document.body.appendChild(caption);

  function el(tag, text, className, parent) {
    var e = document.createElement(tag);
    e.textContent = String(text);
    if (className) { e.className = className; }
    parent.appendChild(e);
    return e;
  }

  function label(id) { var n = nodes.get(id); return n ? String(n.label || n.name || id) : String(id); }

  // what the arrows step through: the pairs of a view of cities joined by similarity, else the cities (the
  // view's own city first)
  function items() {
    var pairs = view.subject ? [] : edges.get({ filter: function (e) { return e.relation === "similar" && !e.hidden; } });
    if (pairs.length) {
      pairs.sort(function (a, b) { return (b.value || 0) - (a.value || 0) || (a.id < b.id ? -1 : 1); });
      return { kind: "pair", list: pairs };
    }
    var subject = view.subject;
    var cities = nodes.get({ filter: function (n) { return n.type === "city" && !n.hidden; } });
    cities.sort(function (a, b) {
      var sa = a.id === subject ? 0 : 1, sb = b.id === subject ? 0 : 1;
      return sa - sb || (b.size || 0) - (a.size || 0) || label(a.id).localeCompare(label(b.id), "zh-Hans-CN");
    });
    return { kind: "city", list: cities };
  }

  function showCaption(title, sub) {
    while (caption.firstChild) { caption.removeChild(caption.firstChild); }
    el("span", T.hint, "pg-cap-hint", caption);
    el("div", title, null, caption);
    if (sub) { el("div", sub, "pg-cap-sub", caption); }
    caption.hidden = false;
  }

  function step(delta) {
    var found = items();
    state.kind = found.kind;
    state.items = found.list;
    if (!state.items.length) { caption.hidden = true; return; }
    var n = state.items.length;
    state.at = state.at < 0 ? (delta >= 0 ? 0 : n - 1) : (state.at + delta + n) % n;
    var item = state.items[state.at];
    var where = " (" + (state.at + 1) + " / " + n + ")";
    if (state.kind === "pair") {
      view.focus(item.from);
      network.selectEdges([item.id]);
      network.fit({ nodes: [item.from, item.to], animation: { duration: 350 } });
      var lines = String(item.title || "").split("\n");
      showCaption((lines[0] || label(item.from) + " — " + label(item.to)) + where, lines.slice(1, 3).join("\n"));
    } else {
      view.focus(item.id);
      var info = String(item.title || "").split("\n").slice(1, 3).join(" · ");
      showCaption(label(item.id) + where, info);
    }
    document.body.setAttribute("data-present-at", String(state.at));
  }

  function present(on) {
    state.on = on;
    document.body.classList.toggle("pg-presenting", on);
    if (view.setLabelScale) { view.setLabelScale(on ? LABEL_SCALE : 1); }
    if (on) {
      window.pgPresenting.enterFullScreen();
      state.at = -1;
      step(0);
    } else {
      caption.hidden = true;
      document.body.removeAttribute("data-present-at");
      window.pgPresenting.leaveFullScreen();
    }
    network.redraw();
  }

  button.addEventListener("click", function () { present(!state.on); });
  window.pgPresenting.listen({ on: function () { return state.on; }, present: present, step: step });
  view.present = present;
  view.presentStep = step;
})();
