package deck_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLenses loads a job page with the junit, metadata, markdown
// and html lenses in chromium: each is drawn in config order, and the
// HTML artifact loads in a frame the page cannot reach into.
func TestBrowserLenses(t *testing.T) {
	f := newFixture(t, withLenses(
		lensCfg("metadata", `^started\.json$`),
		lensCfg("junit", `^artifacts/junit.*\.xml$`),
		lensCfg("markdown", `^artifacts/.*\.md$`),
		lensCfg("html", `^artifacts/.*\.html$`),
		lensCfg("buildlog", `^build-log\.txt$`),
	))
	f.writeLensBuild()
	b := newBrowser(t)
	ctx := b.tab(t)
	var order, junit, meta, md string
	var frameReachable, frameLoaded bool
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/view/local/"+lensDir),
		chromedp.WaitVisible(chromedp.CSS(`#lens-junit`)),
		into(chromedp.Evaluate[string](`Array.from(document.querySelectorAll("[data-lens]")).map(e => e.dataset.lens).join(",")`), &order),
		into(chromedp.Text(chromedp.CSS(`#lens-junit`)), &junit),
		into(chromedp.Text(chromedp.CSS(`#lens-metadata`)), &meta),
		into(chromedp.Text(chromedp.CSS(`#lens-markdown`)), &md),
		until(`performance.getEntriesByType("resource").some(e => e.name.includes("/lens/html/") && e.responseStatus === 200)`),
		into(chromedp.Evaluate[bool](`performance.getEntriesByType("resource").some(e => e.name.includes("/lens/html/") && e.responseStatus === 200)`), &frameLoaded),
		// The frame has loaded; shown (Chromium draws no frame out of
		// sight), it is drawn two animation frames later.
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#lens-html iframe").scrollIntoView(), requestAnimationFrame(() => requestAnimationFrame(() => { window.lensFrameDrawn = true }))`),
		until(`window.lensFrameDrawn === true`),
		into(chromedp.Evaluate[bool](`(function(){ try { return document.querySelector("#lens-html iframe").contentDocument !== null } catch (e) { return false } })()`), &frameReachable),
		b.shot(t, "job-lenses"),
	)
	if order != "metadata,junit,markdown,html,buildlog" {
		t.Errorf("lenses in the page: %s", order)
	}
	for _, want := range []string{"1 failed", "1 flaky", "TestGearGrinds", "want 12 teeth, got 11", "needs salt water"} {
		if !strings.Contains(junit, want) {
			t.Errorf("junit lens lacks %q: %s", want, junit)
		}
	}
	for _, want := range []string{"#14", "f00dfeed", "acme/widget", "acme/tools", "2m05s"} {
		if !strings.Contains(meta, want) {
			t.Errorf("metadata lens lacks %q: %s", want, meta)
		}
	}
	if !strings.Contains(md, "Release notes") || strings.Contains(md, "alert") {
		t.Errorf("markdown lens: %s", md)
	}
	if !frameLoaded || frameReachable {
		t.Errorf("HTML frame loaded %v, reachable from the page %v (want loaded, unreachable)", frameLoaded, frameReachable)
	}
}
