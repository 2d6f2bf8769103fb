package deck_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// coloredDir is a build whose log has ANSI color codes, as ginkgo and
// go test -v write them.
const coloredDir = "logs/colored-job/7"

const coloredLog = "\x1b[1mRunning Suite\x1b[0m\n" +
	"\x1b[31mERROR\x1b[0m: <script>alert(1)</script> failed\n" +
	"\x1b[38;5;208morange\x1b[0m \x1b[48;2;0;0;139mnavy\x1b[0m\n" +
	"\x1b[32mstarts green\n" +
	"stays green\x1b[0m\x1b[2K\x1b]8;;http://x\x07link\x1b]8;;\x07\n"

func (f *fixture) writeColoredBuild() {
	f.write(coloredDir+"/build-log.txt", coloredLog)
}

// get fetches a page from the fixture's HTTP server.
func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	status, _, body := fetch(t, f.http.URL+path)
	return status, string(body)
}

// checkHas reports each of want that body, named what ("the page"),
// lacks and each of absent that it has.
func checkHas(t *testing.T, what, body string, want, absent []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %s", what, w)
		}
	}
	for _, a := range absent {
		if strings.Contains(body, a) {
			t.Errorf("%s has %s", what, a)
		}
	}
}

// fetch GETs url and gives the status code, headers and body of the
// response.
func fetch(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

func TestStoredLogColors(t *testing.T) {
	f := newFixture(t)
	f.writeColoredBuild()
	status, page := f.get(t, "/view/local/"+coloredDir)
	if status != 200 {
		t.Fatalf("status %d: %s", status, page)
	}
	tests := []struct {
		name string
		want string
	}{
		{"bold is a class", `<span class="ansi-b">Running Suite</span>`},
		{"an error line is marked by its text without codes, and HTML stays text", `<div class="ln err" data-n="2"><span class="ansi-fg1"><mark class="hl">ERROR</mark></span>: &lt;script&gt;alert(1)&lt;/script&gt; <mark class="hl">failed</mark></div>`},
		{"a 256 color is named for the script to apply", `<span data-fg="#ff8700">orange</span>`},
		{"a truecolor background too", `<span data-bg="#00008b">navy</span>`},
		{"a color carries over to the next line", `<div class="ln" data-n="5"><span class="ansi-fg2">stays green</span>link</div>`},
		{"the error patterns are there for the page script", `data-patterns="(?i)\b(error`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(page, tc.want) {
				t.Errorf("the page lacks %s", tc.want)
			}
		})
	}
	if strings.Contains(page, "\x1b") || strings.Contains(page, "[0m") || strings.Contains(page, "<script>alert") {
		t.Error("the page shows a raw escape code or unescaped HTML")
	}
}

// browserLogColors checks, in a real browser, that stored and live logs
// draw their colors and never show an escape code.
func browserLogColors(t *testing.T, f *fixture, b *browser) {
	f.writeColoredBuild()
	ctx := b.tab(t)
	var errColor, orange, navy, text string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/view/local/"+coloredDir),
		chromedp.WaitVisible(chromedp.CSS(`#build-log`)),
		into(chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#build-log .ln.err .ansi-fg1")).color`), &errColor),
		into(chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#build-log [data-fg]")).color`), &orange),
		into(chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#build-log [data-bg]")).backgroundColor`), &navy),
		into(chromedp.Text(chromedp.CSS(`#build-log`)), &text),
		b.shot(t, "job-log-ansi-colors"),
	)
	if errColor != "rgb(224, 108, 117)" || orange != "rgb(255, 135, 0)" || navy != "rgb(0, 0, 139)" {
		t.Errorf("colors: error %s, 256-color %s, truecolor background %s", errColor, orange, navy)
	}
	if strings.Contains(text, "\x1b") || strings.Contains(text, "[31m") || !strings.Contains(text, "<script>alert(1)</script> failed") {
		t.Errorf("the stored log reads %q", text)
	}

	f.appendRaw("\x1b[33mWARN\x1b[0m live \x1b[38;2;1;2;3mrgb\x1b[0m\n\x1b[1;31mFAIL\x1b[0m\x1b[K live test\n")
	var live, warn, rgb, failCls string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/view/prowjob/"+runningJob),
		until(`document.getElementById("live-log").textContent.includes("FAIL live test")`),
		into(chromedp.Text(chromedp.CSS(`#live-log`)), &live),
		into(chromedp.Evaluate[string](`document.querySelector("#live-log .ansi-fg3").textContent`), &warn),
		into(chromedp.Evaluate[string](`[...document.querySelectorAll("#live-log span")].find(s => s.textContent === "rgb").style.color`), &rgb),
		into(chromedp.Evaluate[string](`document.querySelector("#live-log .ansi-fg1").parentElement.className`), &failCls),
		b.shot(t, "job-live-log-ansi-colors"),
	)
	if strings.Contains(live, "\x1b") || strings.Contains(live, "[0m") || warn != "WARN" || rgb != "rgb(1, 2, 3)" || failCls != "ln err" {
		t.Errorf("live log %q: WARN span %q, rgb %q, FAIL line class %q", live, warn, rgb, failCls)
	}
}
