// Deck's page script: relative times, the "/" shortcut, the job list's
// refresh, the live log and the earlier part of a folded log. Text from
// the server is only ever set with textContent.
(function () {
  "use strict";

  function ago(sec) {
    var d = Date.now() / 1000 - sec;
    if (d < 0) return "just now";
    if (d < 60) return Math.floor(d) + "s ago";
    if (d < 3600) return Math.floor(d / 60) + "m ago";
    if (d < 172800) return Math.floor(d / 3600) + "h ago";
    return Math.floor(d / 86400) + "d ago";
  }

  function exact(sec) {
    return new Date(sec * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  }

  function timeEl(sec) {
    var t = document.createElement("time");
    if (sec) {
      t.dataset.ts = sec;
      t.title = exact(sec);
      t.textContent = ago(sec);
    } else {
      t.textContent = "—";
    }
    return t;
  }

  function refreshTimes() {
    document.querySelectorAll("time[data-ts]").forEach(function (t) {
      var s = Number(t.dataset.ts);
      if (s > 0) t.textContent = ago(s);
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function stateCls(s) {
    return ["success", "failure", "pending", "aborted", "error", "triggered", "scheduling"].indexOf(s) >= 0 ? "st-" + s : "st-unknown";
  }

  // jobRow draws a row of the list as the server does; body holds how
  // this user may rerun (data-rerun: post or yaml) and the CSRF token.
  function jobRow(j, body) {
    var tr = el("tr", stateCls(j.state));
    tr.dataset.name = j.name;
    var st = el("span", "state " + stateCls(j.state), j.state);
    st.title = j.description || "";
    var td = el("td"); td.appendChild(st); tr.appendChild(td);
    td = el("td", "job"); var a = el("a", "", j.job); a.href = j.url; td.appendChild(a); tr.appendChild(td);
    td = el("td", "hide-s", j.repo || "");
    if (j.base_ref) { td.appendChild(document.createTextNode(" ")); td.appendChild(el("span", "dim", j.base_ref)); }
    tr.appendChild(td);
    td = el("td");
    (j.pulls || []).forEach(function (p) {
      var n = "#" + p.number;
      if (p.link) { var pa = el("a", "", n); pa.href = p.link; td.appendChild(pa); } else { td.appendChild(document.createTextNode(n)); }
      td.appendChild(document.createTextNode(" "));
      td.appendChild(el("span", "dim", p.author || ""));
      td.appendChild(document.createTextNode(" "));
    });
    tr.appendChild(td);
    td = el("td", "hide-s mono", (j.revision || "").slice(0, 8)); td.title = j.revision_what || ""; tr.appendChild(td);
    tr.appendChild(el("td", "hide-s mono", j.build_id || ""));
    td = el("td"); td.appendChild(timeEl(j.started)); tr.appendChild(td);
    tr.appendChild(el("td", "hide-s", j.duration || ""));
    tr.appendChild(actions(j, body));
    return tr;
  }

  function actions(j, body) {
    var td = el("td", "hide-s acts"), y = el("a", "", "YAML");
    y.href = j.yaml_url;
    td.appendChild(y);
    if (!j.final || !body.dataset.rerun) return td;
    td.appendChild(document.createTextNode(" "));
    if (body.dataset.rerun === "yaml") {
      var r = el("a", "rerun", "rerun"); r.href = "/rerun?prowjob=" + encodeURIComponent(j.name); td.appendChild(r);
      return td;
    }
    var f = el("form", "inline"); f.method = "post"; f.action = "/rerun";
    [["csrf", body.dataset.csrf], ["job", j.name]].forEach(function (kv) {
      var i = el("input"); i.type = "hidden"; i.name = kv[0]; i.value = kv[1]; f.appendChild(i);
    });
    f.appendChild(el("button", "rerun", "rerun"));
    td.appendChild(f);
    return td;
  }

  // jobStats draws the state counts and the duration histogram of the
  // filtered jobs.
  function jobStats(box) {
    fetch(box.dataset.api, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (ans) {
        if (!ans || !ans.counted) return;
        var bar = document.getElementById("state-bar"), legend = document.getElementById("state-legend"), hist = document.getElementById("duration-histogram");
        var parts = [];
        bar.replaceChildren();
        (ans.states || []).forEach(function (s) {
          var seg = el("span", "seg " + stateCls(s.state));
          seg.style.width = (100 * s.count / ans.counted) + "%";
          seg.title = s.state + ": " + s.count;
          seg.dataset.state = s.state;
          seg.dataset.count = s.count;
          bar.appendChild(seg);
          parts.push(s.state + " " + s.count);
        });
        bar.setAttribute("aria-label", parts.join(", "));
        legend.textContent = parts.join(" · ") + " — of the " + (ans.more ? "newest " : "") + ans.counted + " matching jobs";
        var most = Math.max.apply(null, ans.histogram.map(function (b) { return b.count; }).concat([1]));
        hist.replaceChildren();
        ans.histogram.forEach(function (b) {
          var col = el("div", "hcol"), fill = el("div", "hbar");
          fill.style.height = Math.round(100 * b.count / most) + "%";
          fill.title = b.count + " jobs took " + b.label;
          col.dataset.count = b.count;
          var wrap = el("div", "hwrap"); wrap.appendChild(fill);
          col.appendChild(el("span", "hnum", String(b.count)));
          col.appendChild(wrap);
          col.appendChild(el("span", "hlabel", b.label));
          hist.appendChild(col);
        });
        hist.setAttribute("aria-label", "durations of the finished jobs");
        box.hidden = false;
      })
      .catch(function () {});
  }

  // suggest fills the filter boxes' drop-downs once one is first used.
  function suggest(form) {
    var done = false;
    form.addEventListener("focusin", function () {
      if (done) return;
      done = true;
      fetch("/api/suggest", { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (ans) {
          if (!ans) return;
          [["dl-jobs", ans.jobs], ["dl-repos", ans.repos], ["dl-authors", ans.authors], ["dl-clusters", ans.clusters]].forEach(function (kv) {
            var dl = document.getElementById(kv[0]), frag = document.createDocumentFragment();
            (kv[1] || []).forEach(function (v) { var o = el("option"); o.value = v; frag.appendChild(o); });
            if (dl) dl.replaceChildren(frag);
          });
          form.dataset.suggested = "true";
        })
        .catch(function () {});
    });
  }

  function refreshList(body) {
    if (document.hidden) return;
    fetch(body.dataset.api, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (ans) {
        if (!ans) return;
        var rows = document.createDocumentFragment();
        ans.jobs.forEach(function (j) { rows.appendChild(jobRow(j, body)); });
        if (!ans.jobs.length) {
          var tr = el("tr", "empty"); var td = el("td", "", "No jobs match."); td.colSpan = 9; tr.appendChild(td); rows.appendChild(tr);
        }
        body.replaceChildren(rows);
        body.dataset.refreshed = String(Date.now());
      })
      .catch(function () {});
  }

  function compile(patterns) {
    return (patterns || "").split("\n").filter(Boolean).map(function (p) {
      var flags = "";
      if (p.indexOf("(?i)") === 0) { p = p.slice(4); flags = "i"; }
      try { return new RegExp(p, flags); } catch (e) { return null; }
    }).filter(Boolean);
  }

  // ANSI SGR codes, parsed as deck/lens/ansi.go does: the 16 colors
  // become classes, 256-color and truecolor a style set through the DOM;
  // every other escape sequence is dropped.
  var escRE = /\x1b(?:\[([ -?]*)([@-~])|\[[ -?]*|[\]P_^X][\s\S]*?(?:\x07|\x1b\\|$)|[ -\/]*[\s\S]?)/g;

  function hex(r, g, b) {
    return "#" + [r, g, b].map(function (v) { v = Math.min(Math.max(v, 0), 255); return (v < 16 ? "0" : "") + v.toString(16); }).join("");
  }

  function palette(n) {
    if (n < 16) return { basic: n };
    if (n < 232) {
      n -= 16;
      var lv = function (v) { return v ? 55 + 40 * v : 0; };
      return { hex: hex(lv(Math.floor(n / 36)), lv(Math.floor(n / 6) % 6), lv(n % 6)) };
    }
    var g = 8 + 10 * (n - 232);
    return { hex: hex(g, g, g) };
  }

  // extended reads the arguments of 38/48 from nums[i]: [color, used].
  function extended(nums, i) {
    var rest = nums.length - i;
    if (nums[i] === 5) return rest >= 2 && nums[i + 1] <= 255 ? [palette(nums[i + 1]), 2] : [null, rest];
    if (nums[i] === 2) return rest >= 4 ? [{ hex: hex(nums[i + 1], nums[i + 2], nums[i + 3]) }, 4] : [null, rest];
    return [null, rest];
  }

  var simple = {
    0: function () { return {}; }, 1: function (s) { s.b = true; }, 2: function (s) { s.f = true; },
    3: function (s) { s.i = true; }, 4: function (s) { s.u = true; }, 22: function (s) { s.b = s.f = false; },
    23: function (s) { s.i = false; }, 24: function (s) { s.u = false; },
    39: function (s) { s.fg = null; }, 49: function (s) { s.bg = null; }
  };

  function sgr(st, params) {
    var codes = params.split(/[;:]/).filter(Boolean);
    if (params === "" || params[0] === ";") codes.unshift("0");
    if (codes.some(function (c) { return !/^\d+$/.test(c); })) return st;
    var nums = codes.map(Number);
    st = Object.assign({}, st);
    for (var i = 0; i < nums.length; i++) {
      var n = nums[i];
      if (n === 38 || n === 48) {
        var r = extended(nums, i + 1);
        i += r[1];
        st[n === 38 ? "fg" : "bg"] = r[0];
      } else if (simple[n]) {
        st = simple[n](st) || st;
      } else if (n >= 30 && n <= 37) { st.fg = { basic: n - 30 }; } else if (n >= 40 && n <= 47) { st.bg = { basic: n - 40 }; } else if (n >= 90 && n <= 97) { st.fg = { basic: n - 82 }; } else if (n >= 100 && n <= 107) { st.bg = { basic: n - 92 }; }
    }
    return st;
  }

  // parseANSI splits a line into [text, style] spans starting in style
  // st: {spans, plain, st}.
  function parseANSI(line, st) {
    var spans = [], plain = "", last = 0, m;
    function emit(t) { if (t) { spans.push([t, st]); plain += t; } }
    escRE.lastIndex = 0;
    while ((m = escRE.exec(line)) !== null) {
      emit(line.slice(last, m.index));
      last = escRE.lastIndex;
      if (m[2] === "m") st = sgr(st, m[1]);
      if (m[0] === "") break;
    }
    emit(line.slice(last));
    return { spans: spans, plain: plain, st: st };
  }

  function styleCls(st) {
    var c = [];
    ["b", "f", "i", "u"].forEach(function (k) { if (st[k]) c.push("ansi-" + k); });
    if (st.fg && st.fg.basic !== undefined) c.push("ansi-fg" + st.fg.basic);
    if (st.bg && st.bg.basic !== undefined) c.push("ansi-bg" + st.bg.basic);
    return c.join(" ");
  }

  // logLine draws one line of a log in the style it starts in and
  // returns the style it ends in.
  function logLine(text, res, st, into, n) {
    var p = parseANSI(text, st || {}), d = el("div", "ln");
    if (n) d.dataset.n = n;
    p.spans.forEach(function (sp) {
      var cls = styleCls(sp[1]), fg = sp[1].fg && sp[1].fg.hex, bg = sp[1].bg && sp[1].bg.hex;
      if (!cls && !fg && !bg) { d.appendChild(document.createTextNode(sp[0])); return; }
      var s = el("span", cls, sp[0]);
      if (fg) s.style.color = fg;
      if (bg) s.style.background = bg;
      d.appendChild(s);
    });
    if (res.some(function (re) { return re.test(p.plain); })) {
      d.className = "ln err";
      if (window.deckLog) window.deckLog.mark(d, res); // logview.js
    }
    into.appendChild(d);
    return p.st;
  }

  // Links to a line or a range, as Prow writes them: #build-log.txt:123
  // and #build-log.txt:120-130.
  var lineHash = /^#build-log\.txt:(\d+)(?:-(\d+))?$/;

  // gotoLine scrolls to and highlights the lines the address names and
  // says whether they are on the page.
  function gotoLine(log) {
    var m = lineHash.exec(location.hash);
    if (!m || !log) return false;
    log.querySelectorAll(".ln.hl").forEach(function (l) { l.classList.remove("hl"); });
    var from = Number(m[1]), to = Math.max(from, Number(m[2] || m[1]));
    var first = log.querySelector('.ln[data-n="' + from + '"]');
    if (!first) return false;
    for (var n = from; n <= to && n - from < 100000; n++) {
      var ln = log.querySelector('.ln[data-n="' + n + '"]');
      if (!ln) break;
      var fold = ln.closest("details");
      if (fold) fold.open = true;
      ln.classList.add("hl");
    }
    first.scrollIntoView({ block: "center" });
    return true;
  }

  // lineLinks makes a click on a line's number link to the line, and a
  // shift-click link to the range from the line linked before.
  function lineLinks(log) {
    log.addEventListener("click", function (e) {
      var ln = e.target;
      if (!ln.matches || !ln.matches(".ln[data-n]")) return;
      var num = getComputedStyle(ln, "::before");
      if (e.clientX - ln.getBoundingClientRect().left > parseFloat(num.width) + parseFloat(num.paddingRight)) return;
      var n = Number(ln.dataset.n), m = lineHash.exec(location.hash), link = String(n);
      if (e.shiftKey && m) {
        var a = Number(m[1]);
        link = Math.min(a, n) + "-" + Math.max(a, n);
      }
      location.hash = "build-log.txt:" + link;
    });
    window.addEventListener("hashchange", function () { gotoLine(log); });
  }

  // applyColors sets the 256-color and truecolor styles the server
  // names in data attributes (the page's policy forbids style attributes).
  function applyColors(root) {
    var ok = /^#[0-9a-f]{6}$/;
    root.querySelectorAll("[data-fg], [data-bg]").forEach(function (s) {
      if (ok.test(s.dataset.fg || "")) s.style.color = s.dataset.fg;
      if (ok.test(s.dataset.bg || "")) s.style.background = s.dataset.bg;
    });
  }

  function followLive(pre) {
    var offset = 0, res = compile(pre.dataset.patterns), status = document.getElementById("live-status"), st = {}, n = 0, found = false;
    lineLinks(pre);
    function poll() {
      fetch("/api/log?job=" + encodeURIComponent(pre.dataset.job) + "&offset=" + offset)
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (ans) {
          if (!ans) { setTimeout(poll, 3000); return; }
          if (ans.text) {
            var stick = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
            var frag = document.createDocumentFragment();
            ans.text.replace(/\n$/, "").split("\n").forEach(function (l) { st = logLine(l.replace(/\r$/, ""), res, st, frag, ++n); });
            pre.appendChild(frag);
            if (!found) { found = gotoLine(pre); if (found) stick = false; }
            if (stick) window.scrollTo(0, document.body.scrollHeight);
          }
          offset = ans.offset;
          var stEl = document.getElementById("job-state");
          if (stEl && ans.state) { stEl.textContent = ans.state; stEl.className = "state " + stateCls(ans.state); }
          if (ans.done) { if (status) status.textContent = "The job finished as " + ans.state + "."; finishPage(pre); return; }
          setTimeout(poll, ans.text ? 500 : 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  // finishPage swaps the page of a job that has just finished for the
  // finished page the server now serves (state, times, duration, files,
  // JUnit, no Abort), keeping the live log when it has no stored one.
  function finishPage(pre, tries) {
    tries = tries || 0;
    fetch(location.href, { headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var main = document.querySelector("main");
        if (!html || !main) return;
        var doc = new DOMParser().parseFromString(html, "text/html"), fresh = doc.querySelector("main");
        // The store may say running a moment longer than the log does.
        if (!fresh || (fresh.querySelector("#live-log") && tries < 10)) { setTimeout(function () { finishPage(pre, tries + 1); }, 1000); return; }
        var kept = !fresh.querySelector("#build-log") && pre.closest("section");
        if (fresh.querySelector("#live-log")) return;
        var nodes = Array.prototype.slice.call(fresh.childNodes).map(function (n) { return document.adoptNode(n); });
        main.replaceChildren.apply(main, nodes);
        if (kept) {
          var files = main.querySelector("#artifacts");
          main.insertBefore(kept, files ? files.closest("section") : null);
        }
        document.title = doc.title;
        initPage(main);
        main.dataset.finished = "true";
      })
      .catch(function () { if (tries < 10) setTimeout(function () { finishPage(pre, tries + 1); }, 1000); });
  }

  // fold groups the lines in frag as the server folds a log
  // (deck/lens.Fold): stretches of minFold lines or more further than
  // context lines from an error line are folded; the last context lines
  // stay open.
  function fold(frag, context, minFold) {
    var lines = Array.prototype.slice.call(frag.children), keep = lines.map(function () { return false; }), out = document.createDocumentFragment();
    lines.forEach(function (l, i) {
      if (!l.classList.contains("err")) return;
      for (var j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
    });
    for (var j = Math.max(0, lines.length - context); j < lines.length; j++) keep[j] = true;
    for (var i = 0; i < lines.length;) {
      var k = i;
      while (k < lines.length && keep[k] === keep[i]) k++;
      if (!keep[i] && k - i >= minFold) {
        var d = el("details", "fold");
        d.appendChild(el("summary", "", (k - i) + " lines"));
        lines.slice(i, k).forEach(function (l) { d.appendChild(l); });
        out.appendChild(d);
      } else {
        lines.slice(i, k).forEach(function (l) { out.appendChild(l); });
      }
      i = k;
    }
    return out;
  }

  function earlierLog(btn) {
    btn.addEventListener("click", function () {
      var start = Number(btn.dataset.start), from = Math.max(0, start - 262144);
      btn.disabled = true;
      fetch(btn.dataset.url + "&offset=" + from + "&length=" + (start - from))
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (text) {
          var log = document.getElementById("build-log"), frag = document.createDocumentFragment(), res = compile(log.dataset.patterns), st = {};
          if (from > 0) { var i = text.indexOf("\n"); from += i + 1; text = text.slice(i + 1); }
          text.replace(/\n$/, "").split("\n").forEach(function (l) { st = logLine(l.replace(/\r$/, ""), res, st, frag); });
          log.insertBefore(fold(frag, Number(log.dataset.foldContext || 5), Number(log.dataset.foldMin || 30)), log.firstChild);
          if (window.deckLog) window.deckLog.folds(log);
          btn.dataset.start = String(from);
          btn.disabled = false;
          if (from === 0) {
            document.getElementById("log-more-box").remove();
            // The whole log is here now: number its lines.
            log.querySelectorAll(".ln").forEach(function (l, i) { l.dataset.n = i + 1; });
            log.classList.add("numbered");
            gotoLine(log);
          }
        });
    });
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
    if (e.key === "/" && !typing) {
      var box = document.getElementById("filter-box");
      if (box) { e.preventDefault(); box.focus(); box.select(); }
    } else if (e.key === "Escape" && typing) {
      t.blur();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    setInterval(refreshTimes, 30000);
    var body = document.getElementById("job-rows");
    if (body && body.dataset.live === "true") {
      setInterval(function () { refreshList(body); }, Number(body.dataset.interval || 10) * 1000);
    }
    var stats = document.getElementById("job-stats");
    if (stats) jobStats(stats);
    var filters = document.getElementById("filters");
    if (filters) suggest(filters);
    var pre = document.getElementById("live-log");
    if (pre) followLive(pre);
    initPage(document);
  });

  // initPage wires the parts of a job page in root.
  function initPage(root) {
    var stored = root.querySelector("#build-log");
    if (stored) { applyColors(stored); lineLinks(stored); gotoLine(stored); }
    if (stored && window.deckLog) window.deckLog.folds(stored); // logview.js
    var more = root.querySelector("#log-more");
    if (more) earlierLog(more);
    refreshTimes();
  }
})();
