package deck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// shownLines is a script that lists the numbered lines of the build log
// outside folds as ranges in page order: "56-66,126-130".
const shownLines = `(() => { const out = [];
	[...document.querySelectorAll("#build-log .ln[data-n]")].filter(l => !l.closest("details")).map(l => +l.dataset.n).forEach(n => {
		const r = out[out.length - 1]; if (r && r[1] === n - 1) r[1] = n; else out.push([n, n]); });
	return out.map(r => r[0] + "-" + r[1]).join(","); })()`

// foldState is a script that gives each fold's count and whether it is open.
const foldState = `[...document.querySelectorAll("#build-log details.fold")].map(d => d.querySelector("summary").firstChild.data + (d.open ? " open" : "")).join(",")`

// TestBrowserLogView folds a stored log, shows 10 more lines above and
// below its folds until one is gone, and finds an error line's match
// in a mark; a link into a fold still opens it.
func TestBrowserLogView(t *testing.T) {
	f := newFixture(t)
	dir := "logs/folded-job/1"
	var log strings.Builder
	for n := 1; n <= 130; n++ {
		if n == 61 {
			log.WriteString("ERROR: the <thing> broke & \"stopped\"\n")
			continue
		}
		fmt.Fprintf(&log, "step %d\n", n)
	}
	f.write(dir+"/build-log.txt", log.String())
	b := newBrowser(t)
	ctx := b.tab(t)
	fold := func(i int, how string) string {
		return fmt.Sprintf(`#build-log details.fold:nth-of-type(%d) .fold-%s`, i, how)
	}
	// click clicks a fold's button (none for the first look) and checks
	// the lines shown and the folds left after.
	click := func(sel, wantShown, wantFolds string) {
		t.Helper()
		var shown, folds string
		steps := []step{}
		if sel != "" {
			steps = append(steps, chromedp.Click(chromedp.CSS(sel)))
		}
		run(t, ctx, append(steps, into(chromedp.Evaluate[string](shownLines), &shown), into(chromedp.Evaluate[string](foldState), &folds))...)
		if shown != wantShown || folds != wantFolds {
			t.Errorf("after %q: lines shown %s, folds %q; want %s, %q", sel, shown, folds, wantShown, wantFolds)
		}
	}
	var markText, errHTML string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/view/local/"+dir),
		chromedp.WaitVisible(chromedp.CSS(fold(2, "up"))),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log .ln.err mark.hl")?.textContent`), &markText),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log .ln.err").innerHTML`), &errHTML),
		b.shot(t, "job-log-folds"),
	)
	if markText != "ERROR" || errHTML != `<mark class="hl">ERROR</mark>: the &lt;thing&gt; broke &amp; "stopped"` {
		t.Errorf("error line's mark %q, its HTML %s", markText, errHTML)
	}
	// Lines 56-66 are open around the error at 61, and the last 5.
	click("", "56-66,126-130", "55 lines,59 lines")
	click(fold(2, "up"), "56-76,126-130", "55 lines,49 lines")
	click(fold(2, "down"), "56-76,116-130", "55 lines,39 lines")
	click(fold(1, "down"), "46-76,116-130", "45 lines,39 lines")
	click(fold(1, "up"), "1-10,46-76,116-130", "35 lines,39 lines")
	for range 3 {
		run(t, ctx, chromedp.Click(chromedp.CSS(fold(2, "up"))))
	}
	// 9 lines are left: 10 more shows them all and the fold goes.
	click(fold(2, "down"), "1-10,46-130", "35 lines")
	run(t, ctx, b.shot(t, "job-log-folds-expanded"))
	// A link into what is still folded opens the fold.
	var hl string
	run(t, ctx,
		chromedp.Evaluate[chromedp.Void](`location.hash = "build-log.txt:20"`),
		until(`document.querySelector("#build-log .ln.hl") !== null`),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log .ln.hl").dataset.n`), &hl),
	)
	click("", "1-10,46-130", "35 lines open")
	if hl != "20" {
		t.Errorf("the link to line 20 highlighted %q", hl)
	}
	click(fold(1, "all"), "1-130", "")
}
