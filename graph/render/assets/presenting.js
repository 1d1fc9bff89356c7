/* practice-graph pages: the keys and the full screen of a presentation mode, one copy for the graph views
   (present.js) and the matrix (matrix.js). P turns the mode on and off, Esc leaves it, →, ↓, Page Down and the
   space bar step forward, ←, ↑ and Page Up back; no key counts while typing in a field. Leaving full screen
   (by the browser's own key) leaves the mode. */
(function () {
  "use strict";

  // the whole page full screen, where the browser allows it (the page still fills the window where not)
  function enterFullScreen() {
    var root = document.documentElement;
    if (root.requestFullscreen && !document.fullscreenElement) {
      try {
        var p = root.requestFullscreen();
        if (p && p.catch) { p.catch(function () {}); }
      } catch (e) { /* not allowed here */ }
    }
  }

  function leaveFullScreen() {
    if (document.fullscreenElement && document.exitFullscreen) { document.exitFullscreen().catch(function () {}); }
  }

  // mode: {on: function () -> whether presenting, present: function (on), step: function (+1 or -1)}
  function listen(mode) {
    document.addEventListener("fullscreenchange", function () {
      if (!document.fullscreenElement && mode.on()) { mode.present(false); }
    });
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) { return; }
      if (ev.key === "p" || ev.key === "P") { mode.present(!mode.on()); ev.preventDefault(); return; }
      if (!mode.on()) { return; }
      if (ev.key === "Escape") {
        mode.present(false);
      } else if (ev.key === "ArrowRight" || ev.key === "ArrowDown" || ev.key === "PageDown" || ev.key === " ") {
        mode.step(1);
        ev.preventDefault();
      } else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp" || ev.key === "PageUp") {
        mode.step(-1);
        ev.preventDefault();
      }
    });
  }

  window.pgPresenting = { listen: listen, enterFullScreen: enterFullScreen, leaveFullScreen: leaveFullScreen };
})();
