package deck_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// fitsWidth checks that a page needs no sideways scrolling.
const fitsWidth = `document.documentElement.scrollWidth <= window.innerWidth`

// browserTide loads /tide, /tide-history and /pr (signed out, then as
// bob) in a desktop and a 400 px wide window.
func browserTide(t *testing.T, b *browser, base string) {
	ctx := b.tab(t)
	var pools, history, mine, signedOut string
	var wide, narrow bool
	run(t, ctx,
		chromedp.Navigate(base+"/tide"),
		chromedp.WaitVisible(chromedp.CSS(`#tide-pools .pool`)),
		into(chromedp.Text(chromedp.CSS(`main`)), &pools),
		into(chromedp.Evaluate[bool](fitsWidth), &wide),
		b.shot(t, "tide"),
		until(`document.querySelector('header a[href="/tide-history"]') !== null`),
		chromedp.Navigate(base+"/tide-history"),
		chromedp.WaitVisible(chromedp.CSS(`#tide-history .record`)),
		chromedp.SetValue(chromedp.CSS(`input[name="author"]`), "alice"),
	)
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS(`#tide-history-filter`))); err != nil {
		t.Fatalf("submit the history filter: %v", err)
	}
	run(t, ctx,
		until(`location.search.includes("author=alice")`),
		chromedp.WaitVisible(chromedp.CSS(`#tide-history .record.failed`)),
		into(chromedp.Text(chromedp.CSS(`#tide-history`)), &history),
		b.shot(t, "tide-history-filtered"),
		as(base, ""), // signed out (the tabs share cookies)
		chromedp.Navigate(base+"/pr"),
		chromedp.WaitVisible(chromedp.CSS(`#pr-login`)),
		into(chromedp.Text(chromedp.CSS(`#pr-login`)), &signedOut),
		as(base, "bob"),
		chromedp.EmulateViewport(400, 800),
		chromedp.Navigate(base+"/pr"),
		chromedp.WaitVisible(chromedp.CSS(`#my-prs .mypr`)),
		into(chromedp.Text(chromedp.CSS(`#my-prs`)), &mine),
		into(chromedp.Evaluate[bool](fitsWidth), &narrow),
		b.shot(t, "pr-dashboard-phone"),
	)
	for _, want := range []string{"acme/widget", "MERGE", "Not mergeable. Needs approved label. Job ci has not succeeded.",
		"Fix <script>alert(1)</script>", "with the labels lgtm and approved"} {
		if !strings.Contains(pools, want) {
			t.Errorf("/tide lacks %q: %s", want, pools)
		}
	}
	if strings.Contains(pools, "vault") {
		t.Error("/tide shows the hidden repo")
	}
	if !strings.Contains(history, "#11") || !strings.Contains(history, "GitHub refused the merge") || strings.Contains(history, "#12") {
		t.Errorf("/tide-history filtered by alice: %s", history)
	}
	if !strings.Contains(signedOut, "Log in") {
		t.Errorf("/pr signed out: %s", signedOut)
	}
	for _, want := range []string{"acme/widget#12", "acme/widget#13", "Needs approved label", "ci", "pull-widget-e2e"} {
		if !strings.Contains(mine, want) {
			t.Errorf("bob's /pr lacks %q: %s", want, mine)
		}
	}
	if !wide || !narrow {
		t.Errorf("sideways scrolling: /tide at 1280 px %v, /pr at 400 px %v (true: fits)", wide, narrow)
	}
	var tideNarrow, historyNarrow bool
	run(t, ctx,
		chromedp.Navigate(base+"/tide"), chromedp.WaitVisible(chromedp.CSS(`#tide-pools .pool`)),
		into(chromedp.Evaluate[bool](fitsWidth), &tideNarrow), b.shot(t, "tide-phone"),
		chromedp.Navigate(base+"/tide-history"), chromedp.WaitVisible(chromedp.CSS(`#tide-history .record`)),
		into(chromedp.Evaluate[bool](fitsWidth), &historyNarrow), b.shot(t, "tide-history-phone"),
	)
	if !tideNarrow || !historyNarrow {
		t.Errorf("sideways scrolling at 400 px: /tide fits %v, /tide-history fits %v", tideNarrow, historyNarrow)
	}
}
