package deck_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestLogLineNumbers(t *testing.T) {
	f := newFixture(t)
	// A log longer than the page's tail: its first lines are not shown,
	// so its line numbers are unknown.
	long := "logs/long-job/1"
	f.write(long+"/build-log.txt", strings.Repeat(strings.Repeat("y", 99)+"\n", 3000))
	tests := []struct {
		name         string
		path         string
		want, absent []string
	}{
		{name: "a whole log numbers every line, folded ones too", path: "/view/local/" + prDir,
			want: []string{`class="logtext numbered" id="build-log"`, `<div class="ln" data-n="1">I0101 12:00:01 step 1`, `<div class="ln err" data-n="120"><mark class="hl">E0101 12:01:59</mark> <mark class="hl">error</mark>`, `data-n="402">make: *** [test] <mark class="hl">Error</mark> 1`}},
		{name: "the tail of a long log has no numbers until it is shown whole", path: "/view/local/" + long,
			want: []string{`class="logtext" id="build-log"`, "Show earlier"}, absent: []string{"data-n="}},
		{name: "a live log is numbered by the page", path: "/view/prowjob/" + runningJob,
			want: []string{`class="logtext numbered" data-job="pj-running"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, page := f.get(t, tc.path)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			checkHas(t, "the page", page, tc.want, tc.absent)
		})
	}
}

// browserLineLinks opens a link to a folded line of a stored log, then
// clicks another line's number and shift-clicks a third for a range, in
// a real browser.
func browserLineLinks(t *testing.T, f *fixture, b *browser) {
	ctx := b.tab(t)
	var hl string
	var open, inView bool
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/view/local/"+prDir+"#build-log.txt:40"),
		until(`document.querySelector("#build-log .ln.hl") !== null`),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log .ln.hl").dataset.n`), &hl),
		into(chromedp.Evaluate[bool](`document.querySelector("#build-log .ln.hl").closest("details").open`), &open),
		into(chromedp.Evaluate[bool](`(function(r){return r.top >= 0 && r.bottom <= innerHeight})(document.querySelector("#build-log .ln.hl").getBoundingClientRect())`), &inView),
		b.shot(t, "job-log-line-link"),
	)
	if hl != "40" || !open || !inView {
		t.Errorf("highlighted line %q, its fold open %v, in view %v", hl, open, inView)
	}
	var hash string
	run(t, ctx,
		chromedp.Evaluate[chromedp.Void](`(function(l){var r=l.getBoundingClientRect(); l.dispatchEvent(new MouseEvent("click",{bubbles:true,clientX:r.left+10,clientY:r.top+3}))})(document.querySelector('#build-log .ln[data-n="120"]'))`),
		until(`document.querySelector('#build-log .ln[data-n="120"]').classList.contains("hl")`),
		into(chromedp.Evaluate[string](`location.hash + " " + document.querySelectorAll("#build-log .ln.hl").length`), &hash),
		b.shot(t, "job-log-line-clicked"),
	)
	if hash != "#build-log.txt:120 1" {
		t.Errorf("after a click on line 120's number: %s", hash)
	}
	var rng string
	run(t, ctx,
		chromedp.Evaluate[chromedp.Void](`(function(l){var r=l.getBoundingClientRect(); l.dispatchEvent(new MouseEvent("click",{bubbles:true,shiftKey:true,clientX:r.left+10,clientY:r.top+3}))})(document.querySelector('#build-log .ln[data-n="116"]'))`),
		until(`document.querySelectorAll("#build-log .ln.hl").length === 5`),
		into(chromedp.Evaluate[string](`location.hash + " " + [...document.querySelectorAll("#build-log .ln.hl")].map(l => l.dataset.n).join(",")`), &rng),
		b.shot(t, "job-log-line-range"),
	)
	if rng != "#build-log.txt:116-120 116,117,118,119,120" {
		t.Errorf("after a shift-click on line 116's number: %s", rng)
	}
	var textClick string
	run(t, ctx,
		chromedp.Evaluate[chromedp.Void](`(function(l){var r=l.getBoundingClientRect(); l.dispatchEvent(new MouseEvent("click",{bubbles:true,clientX:r.right-5,clientY:r.top+3}))})(document.querySelector('#build-log .ln[data-n="121"]'))`),
		into(chromedp.Evaluate[string](`location.hash`), &textClick),
	)
	if textClick != "#build-log.txt:116-120" {
		t.Errorf("a click on a line's text moved the link to %s", textClick)
	}
}

// browserShowEarlier loads the start of a long log: its lines keep their
// colors and error marks and, once the log is whole, get numbers.
func browserShowEarlier(t *testing.T, f *fixture, b *browser) {
	long := "logs/long-colored-job/1"
	f.write(long+"/build-log.txt", "\x1b[31mERROR\x1b[0m: early trouble\n"+strings.Repeat(strings.Repeat("z", 99)+"\n", 3000))
	ctx := b.tab(t)
	var before, errText, cls, first string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/view/local/"+long),
		chromedp.WaitVisible(chromedp.CSS(`#log-more`)),
		into(chromedp.Evaluate[string](`String(document.querySelectorAll("#build-log .ln[data-n]").length)`), &before),
		chromedp.Click(chromedp.CSS(`#log-more`)),
		until(`document.getElementById("log-more-box") === null`),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log .ln.err")?.textContent`), &errText),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log .ln.err .ansi-fg1 > mark.hl")?.textContent + " " + document.getElementById("build-log").className`), &cls),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log .ln").dataset.n + " " + [...document.querySelectorAll("#build-log .ln")].pop().dataset.n`), &first),
		b.shot(t, "job-log-show-earlier"),
	)
	if before != "0" || errText != "ERROR: early trouble" || cls != "ERROR logtext numbered" || first != "1 3001" {
		t.Errorf("numbered before %s; error line %q; %q; first and last numbers %q", before, errText, cls, first)
	}
}
