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

  function jobRow(j) {
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
    tr.appendChild(el("td", "hide-s mono", j.build_id || ""));
    td = el("td"); td.appendChild(timeEl(j.started)); tr.appendChild(td);
    tr.appendChild(el("td", "hide-s", j.duration || ""));
    return tr;
  }

  function refreshList(body) {
    if (document.hidden) return;
    fetch(body.dataset.api, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (ans) {
        if (!ans) return;
        var rows = document.createDocumentFragment();
        ans.jobs.forEach(function (j) { rows.appendChild(jobRow(j)); });
        if (!ans.jobs.length) {
          var tr = el("tr", "empty"); var td = el("td", "", "No jobs match."); td.colSpan = 7; tr.appendChild(td); rows.appendChild(tr);
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

  function logLine(text, res) {
    var d = el("div", "ln", text);
    if (res.some(function (re) { return re.test(text); })) d.className = "ln err";
    return d;
  }

  function followLive(pre) {
    var offset = 0, res = compile(pre.dataset.patterns), status = document.getElementById("live-status");
    function poll() {
      fetch("/api/log?job=" + encodeURIComponent(pre.dataset.job) + "&offset=" + offset)
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (ans) {
          if (!ans) { setTimeout(poll, 3000); return; }
          if (ans.text) {
            var stick = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
            var frag = document.createDocumentFragment();
            ans.text.replace(/\n$/, "").split("\n").forEach(function (l) { frag.appendChild(logLine(l, res)); });
            pre.appendChild(frag);
            if (stick) window.scrollTo(0, document.body.scrollHeight);
          }
          offset = ans.offset;
          var st = document.getElementById("job-state");
          if (st && ans.state) { st.textContent = ans.state; st.className = "state " + stateCls(ans.state); }
          if (ans.done) { if (status) status.textContent = "The job finished as " + ans.state + "."; return; }
          setTimeout(poll, ans.text ? 500 : 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  function earlierLog(btn) {
    btn.addEventListener("click", function () {
      var start = Number(btn.dataset.start), from = Math.max(0, start - 262144);
      btn.disabled = true;
      fetch(btn.dataset.url + "&offset=" + from + "&length=" + (start - from))
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (text) {
          var log = document.getElementById("build-log"), frag = document.createDocumentFragment();
          if (from > 0) { var i = text.indexOf("\n"); from += i + 1; text = text.slice(i + 1); }
          text.replace(/\n$/, "").split("\n").forEach(function (l) { frag.appendChild(el("div", "ln", l)); });
          log.insertBefore(frag, log.firstChild);
          btn.dataset.start = String(from);
          btn.disabled = false;
          if (from === 0) document.getElementById("log-more-box").remove();
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
    var pre = document.getElementById("live-log");
    if (pre) followLive(pre);
    var more = document.getElementById("log-more");
    if (more) earlierLog(more);
  });
})();
