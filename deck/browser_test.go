package deck_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/deck"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// browser is a headless Debian chromium shared by the subtests of one
// test, and the folder its screenshots go to.
type browser struct {
	ctx   context.Context
	shots string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (%v): run `make browser` (make test does) to install Debian's chromium", err)
	}
	// The test's output folder: kept with `go test -artifacts
	// -outputdir DIR ./deck/` (or set TEST_OUTPUT_DIR).
	shots := os.Getenv("TEST_OUTPUT_DIR")
	if shots == "" {
		shots = t.ArtifactDir()
	}
	shots = filepath.Join(shots, "deck-screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{ctx: bctx, shots: shots}
}

// tab opens a new tab for one subtest, with a deadline.
func (b *browser) tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancelT)
	return ctx
}

type step = chromedp.Action[chromedp.Void]

// shot saves a full-page screenshot named after the page.
func (b *browser) shot(t *testing.T, name string) step {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, fmt.Errorf("screenshot %s: %w", name, err)
		}
		p := filepath.Join(b.shots, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			return chromedp.Void{}, fmt.Errorf("save screenshot %s: %w", name, err)
		}
		t.Logf("screenshot of %s: %s", name, p)
		return chromedp.Void{}, nil
	}
}

// as logs the tab in as user (through the test's Authenticate hook).
func as(base, user string) step {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "test-user", Value: user, URL: base})
		return chromedp.Void{}, err
	}
}

// into stores the value of an action.
func into[T any](a chromedp.Action[T], v *T) step {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		var err error
		*v, err = a(ctx, tg)
		return chromedp.Void{}, err
	}
}

// until waits for a JavaScript condition to hold.
func until(expr string) step {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))
}

func run(t *testing.T, ctx context.Context, steps ...step) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func TestBrowser(t *testing.T) {
	f := newFixture(t, func(o *deck.Options) { o.RefreshInterval = time.Second }, withTide(fakeTide(t).URL))
	b := newBrowser(t)
	base := f.http.URL

	t.Run("the list shows the seeded jobs, refreshes itself and filters", func(t *testing.T) {
		ctx := b.tab(t)
		var text string
		run(t, ctx,
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(chromedp.CSS(`tr[data-name="pj-running"]`)),
			into(chromedp.Text(chromedp.CSS(`#job-rows`)), &text),
			b.shot(t, "job-list"),
		)
		for _, want := range []string{"pull-widget-e2e", prJob, periodicJob, "#12", "bob"} {
			if !strings.Contains(text, want) {
				t.Errorf("list lacks %q: %s", want, text)
			}
		}
		pj := f.job("pj-new-arrival", "pull-widget-lint", prowapi.PendingState, "acme", "widget", 13, "400")
		pj.Status.StartTime = metav1.Now()
		if _, err := f.store.Create(context.Background(), pj); err != nil {
			t.Fatal(err)
		}
		var focused string
		run(t, ctx,
			until(`document.querySelector('tr[data-name="pj-new-arrival"]') !== null`),
			chromedp.KeyEvent("/"),
			into(chromedp.Evaluate[string](`document.activeElement.id`), &focused),
		)
		if focused != "filter-box" {
			t.Errorf("'/' focused %q, want the filter box", focused)
		}
		// CDP sends the "/" as a separate char event that the page's
		// preventDefault on keydown cannot stop, so clear the box first.
		var typed string
		run(t, ctx, into(chromedp.Evaluate[string](`(function(b){var v=b.value; b.value=""; return v})(document.getElementById("filter-box"))`), &typed))
		t.Logf("the filter box held %q after '/'", typed)
		if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(periodicJob+"\r")); err != nil {
			t.Fatalf("submit the filter: %v", err)
		}
		run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`tr[data-name="pj-periodic-0"]`)))
		var filtered string
		run(t, ctx, into(chromedp.Text(chromedp.CSS(`#job-rows`)), &filtered), b.shot(t, "job-list-filtered"))
		if strings.Contains(filtered, "pull-widget-e2e") || !strings.Contains(filtered, periodicJob) {
			t.Errorf("filtered list: %s", filtered)
		}
		run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#job-rows`)),
			b.shot(t, "job-list-phone"))
	})

	t.Run("a running job's log grows without a reload", func(t *testing.T) {
		ctx := b.tab(t)
		run(t, ctx,
			chromedp.Navigate(base+"/view/prowjob/"+runningJob),
			until(`document.getElementById("live-log").textContent.includes("live line 2: building")`),
		)
		f.appendLive("live line 3: appended while the page was open")
		f.appendLive("ERROR: something broke live")
		var errLines int
		var marked string
		run(t, ctx,
			until(`document.getElementById("live-log").textContent.includes("appended while the page was open")`),
			until(`document.querySelectorAll("#live-log .ln.err").length > 0`),
			into(chromedp.Evaluate[int](`document.querySelectorAll("#live-log .ln.err").length`), &errLines),
			into(chromedp.Evaluate[string](`[...document.querySelectorAll("#live-log .ln.err mark.hl")].map(m => m.textContent).join(",")`), &marked),
			b.shot(t, "job-running-live-log"),
		)
		if errLines != 1 || marked != "ERROR" {
			t.Errorf("%d error lines marked, want 1; marked text %q, want ERROR", errLines, marked)
		}
	})

	t.Run("a finished job shows its log, artifacts and JUnit failures", func(t *testing.T) {
		ctx := b.tab(t)
		var junit, artifacts, errLine string
		run(t, ctx,
			chromedp.Navigate(base+"/view/local/"+prDir),
			chromedp.WaitVisible(chromedp.CSS(`#junit`)),
			into(chromedp.Text(chromedp.CSS(`#junit`)), &junit),
			into(chromedp.Text(chromedp.CSS(`#artifacts`)), &artifacts),
			into(chromedp.Text(chromedp.CSS(`#build-log .ln.err`)), &errLine),
			b.shot(t, "job-finished"),
		)
		for _, want := range []string{"2 failed", "TestWidgetStops", "widget did not stop", "TestLoginFlow"} {
			if !strings.Contains(junit, want) {
				t.Errorf("JUnit section lacks %q: %s", want, junit)
			}
		}
		if !strings.Contains(artifacts, "artifacts/junit_unit.xml") || !strings.Contains(errLine, "cannot reach the registry") {
			t.Errorf("artifacts %q, first error line %q", artifacts, errLine)
		}
		var served string
		run(t, ctx, chromedp.Click(chromedp.CSS(`a[href*="junit_unit.xml"]`)), chromedp.WaitVisible(chromedp.CSS(`body`)), into(chromedp.Text(chromedp.CSS(`body`)), &served))
		if !strings.Contains(served, "TestWidgetSpins") {
			t.Errorf("the artifact link served %q", served)
		}
		run(t, ctx, chromedp.Navigate(base+"/job-history/local/logs/"+periodicJob), chromedp.WaitVisible(chromedp.CSS(`#history`)), b.shot(t, "job-history"))
		run(t, ctx, chromedp.Navigate(base+"/pr-history/?org=acme&repo=widget&pr=12"), chromedp.WaitVisible(chromedp.CSS(`.prjob`)), b.shot(t, "pr-history"))
		run(t, ctx, chromedp.Navigate(base+"/command-help"), chromedp.WaitVisible(chromedp.CSS(`table.commands`)), b.shot(t, "command-help"))
	})

	t.Run("ANSI colors in stored and live logs are drawn, never shown raw", func(t *testing.T) {
		browserLogColors(t, f, b)
	})

	t.Run("the job filter takes a glob and ?pull= filters by PR", func(t *testing.T) {
		browserListFilters(t, f, b)
	})

	t.Run("a link to a log line scrolls to it and highlights it", func(t *testing.T) {
		browserLineLinks(t, f, b)
	})

	t.Run("show earlier keeps colors and error marks and numbers the whole log", func(t *testing.T) {
		browserShowEarlier(t, f, b)
	})

	t.Run("rerun works for an allowed user and is refused for others", func(t *testing.T) {
		ctx := b.tab(t)
		var msg string
		run(t, ctx,
			as(base, allowedUser),
			chromedp.Navigate(base+"/view/prowjob/"+finishedPR),
			chromedp.WaitVisible(chromedp.CSS(`#rerun`)),
			b.shot(t, "job-rerun-button"),
			chromedp.Click(chromedp.CSS(`#rerun`)),
			chromedp.WaitVisible(chromedp.CSS(`#done-message`)),
			into(chromedp.Text(chromedp.CSS(`#done-message`)), &msg),
			b.shot(t, "rerun-started"),
		)
		if !strings.Contains(msg, "started by alice") {
			t.Errorf("allowed rerun said %q", msg)
		}
		run(t, ctx,
			as(base, otherUser),
			chromedp.Navigate(base+"/view/prowjob/"+finishedPR),
			chromedp.WaitVisible(chromedp.CSS(`#rerun`)),
			chromedp.Click(chromedp.CSS(`#rerun`)),
			chromedp.WaitVisible(chromedp.CSS(`#error-message`)),
			into(chromedp.Text(chromedp.CSS(`#error-message`)), &msg),
			b.shot(t, "rerun-refused"),
		)
		if !strings.Contains(msg, "mallory may not rerun") {
			t.Errorf("refused rerun said %q", msg)
		}
		if len(f.reruns) != 1 {
			t.Errorf("reruns %v, want only alice's", f.reruns)
		}
	})

	t.Run("tide's pools, its history and the PR dashboard load, also 400 px wide", func(t *testing.T) {
		browserTide(t, b, base)
	})

	t.Run("a hidden repo's jobs are absent", func(t *testing.T) {
		ctx := b.tab(t)
		var list, page string
		run(t, ctx,
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(chromedp.CSS(`#job-rows`)),
			into(chromedp.Text(chromedp.CSS(`#job-rows`)), &list),
			chromedp.Navigate(base+"/view/prowjob/"+hiddenRepo),
			chromedp.WaitVisible(chromedp.CSS(`#error-message`)),
			into(chromedp.Text(chromedp.CSS(`body`)), &page),
			b.shot(t, "hidden-job-404"),
		)
		if strings.Contains(list, "pull-vault") || strings.Contains(list, "secret-scan") {
			t.Errorf("the list shows hidden jobs: %s", list)
		}
		if !strings.Contains(page, "Job not found") {
			t.Errorf("the hidden job's page says %q", page)
		}
	})
}
