// The build log viewer's extras, used by deck.js: what the error
// patterns match in an error line drawn by the page is put in
// <mark class="hl"> (as deck/render.go does for stored logs), and the
// folds of quiet lines get buttons that show 10 more lines above or
// below, or all of them, as Prow's buildlog lens does. Text is only ever
// moved or set with textContent, never parsed as HTML.
(function () {
  "use strict";
  if (window.deckLog) return;

  // ranges are the [from, to) offsets of text the patterns match, sorted
  // and merged; empty matches mark nothing.
  function ranges(text, res) {
    var out = [];
    res.forEach(function (re) {
      var g = new RegExp(re.source, re.flags.replace("g", "") + "g"), m;
      while ((m = g.exec(text)) !== null) {
        if (m[0] === "") { g.lastIndex++; continue; }
        out.push([m.index, m.index + m[0].length]);
      }
    });
    out.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    out.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r.slice());
    });
    return merged;
  }

  // mark wraps the parts of line's text the patterns match in
  // <mark class="hl">, cut at the edges of its color spans so each mark
  // sits inside one span, as the server draws them.
  function mark(line, res) {
    var rs = ranges(line.textContent, res);
    if (!rs.length) return;
    var walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT), nodes = [], n, pos = 0;
    while ((n = walker.nextNode())) nodes.push(n);
    nodes.forEach(function (node) {
      var start = pos, end = pos + node.data.length;
      pos = end;
      // From the last range back, so node keeps starting at start.
      for (var i = rs.length - 1; i >= 0; i--) {
        var a = Math.max(rs[i][0], start), b = Math.min(rs[i][1], end);
        if (a >= b) continue;
        var mid = node.splitText(a - start);
        mid.splitText(b - a);
        var mk = document.createElement("mark");
        mk.className = "hl";
        mid.parentNode.replaceChild(mk, mid);
        mk.appendChild(mid);
      }
    });
  }

  var steps = [["up", "show 10 more above"], ["all", "show all"], ["down", "show 10 more below"]];

  // folds gives each fold of quiet lines in log its buttons.
  function folds(log) {
    log.querySelectorAll("details.fold").forEach(function (d) {
      var s = d.querySelector(":scope > summary");
      if (!s || s.querySelector(".fold-acts")) return;
      var acts = document.createElement("span");
      acts.className = "fold-acts";
      steps.forEach(function (st) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "link fold-" + st[0];
        b.dataset.fold = st[0];
        b.textContent = st[1];
        acts.appendChild(b);
      });
      s.appendChild(acts);
    });
    if (log.dataset.foldButtons) return;
    log.dataset.foldButtons = "true";
    log.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button[data-fold]");
      if (!b || !log.contains(b)) return;
      e.preventDefault(); // the click would open or close the fold too
      reveal(b.closest("details.fold"), b.dataset.fold);
    });
  }

  // reveal takes lines out of a fold: the 10 just after the line shown
  // above it ("up"), the 10 just before the line shown below it
  // ("down"), or all; a fold with nothing left goes.
  function reveal(d, how) {
    if (!d) return;
    var lines = Array.prototype.filter.call(d.children, function (c) { return c.classList.contains("ln"); });
    var n = how === "all" ? lines.length : Math.min(10, lines.length), frag = document.createDocumentFragment();
    var shown = how === "down" ? lines.slice(lines.length - n) : lines.slice(0, n);
    shown.forEach(function (l) { frag.appendChild(l); });
    d.parentNode.insertBefore(frag, how === "down" ? d.nextSibling : d);
    var left = lines.length - n;
    if (!left) { d.remove(); return; }
    var s = d.querySelector(":scope > summary");
    if (s && s.firstChild && s.firstChild.nodeType === Node.TEXT_NODE) s.firstChild.data = left + " lines";
  }

  window.deckLog = { mark: mark, folds: folds, reveal: reveal };
})();
