package deck_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// TestBrowserJobPages drives the job pages and the list in chromium: a
// live page that ends cleanly, "Show earlier" that folds, the list's
// extras and command help on a phone.
func TestBrowserJobPages(t *testing.T) {
	f := newFixture(t, withConfigJobs)
	b := newBrowser(t)

	t.Run("a live job page becomes the finished page when the job ends", func(t *testing.T) {
		browserLiveEnds(t, f, b)
	})
	t.Run("show earlier folds quiet stretches and keeps error lines open", func(t *testing.T) {
		browserEarlierFolds(t, f, b)
	})
	t.Run("the list has revisions, actions, counts, a histogram, suggestions and a cluster filter", func(t *testing.T) {
		browserListExtras(t, f, b)
	})
	t.Run("command help fits 400 px without horizontal scroll", func(t *testing.T) {
		ctx := b.tab(t)
		var width int
		run(t, ctx,
			chromedp.EmulateViewport(400, 800),
			chromedp.Navigate(f.http.URL+"/command-help"),
			chromedp.WaitVisible(chromedp.CSS(`table.commands`)),
			into(chromedp.Evaluate[int](`document.documentElement.scrollWidth`), &width),
			b.shot(t, "command-help-400px"),
		)
		if width > 400 {
			t.Errorf("command help is %d px wide at 400 px", width)
		}
	})
}

func browserLiveEnds(t *testing.T, f *fixture, b *browser) {
	ctx := context.Background()
	// The running job gets a storage directory, as a decorated job has.
	pj, err := f.store.Get(ctx, runningJob)
	if err != nil {
		t.Fatal(err)
	}
	pj.Spec.DecorationConfig = f.job("x", "x", prowapi.PendingState, "acme", "widget", 12, "1").Spec.DecorationConfig
	if pj, err = f.store.Update(ctx, pj); err != nil {
		t.Fatal(err)
	}
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		t.Fatal(err)
	}
	start := pj.Status.StartTime.Unix()
	f.writeJSON(a.Dir+"/started.json", storage.Started{Timestamp: start})

	tab := b.tab(t)
	var before string
	run(t, tab,
		as(f.http.URL, allowedUser),
		chromedp.Navigate(f.http.URL+"/view/prowjob/"+runningJob),
		until(`document.getElementById("live-log").textContent.includes("live line 2: building")`),
		chromedp.WaitVisible(chromedp.CSS(`#abort`)),
		into(chromedp.Text(chromedp.CSS(`#job-state`)), &before),
		b.shot(t, "job-live-before-end"),
	)
	if before != "pending" {
		t.Errorf("state before the end %q", before)
	}

	// The job ends: its files are uploaded and the store says success,
	// 1.5 s after it started.
	end := start + 1
	passed := true
	f.write(a.Dir+"/build-log.txt", "live line 1: cloning\nlive line 2: building\nall done\n")
	f.writeJSON(a.Dir+"/finished.json", storage.Finished{Timestamp: &end, Passed: &passed, Result: "SUCCESS"})
	f.write(a.Dir+"/artifacts/junit_live.xml", `<testsuite tests="1"><testcase name="TestLive" classname="live"/></testsuite>`)
	done := metav1.NewTime(pj.Status.StartTime.Add(1500 * time.Millisecond))
	pj.Status.State, pj.Status.CompletionTime = prowapi.SuccessState, &done
	if _, err := f.store.Update(ctx, pj); err != nil {
		t.Fatal(err)
	}

	var state, files, dur, main string
	var aborts int
	run(t, tab,
		until(`document.querySelector("main").dataset.finished === "true"`),
		into(chromedp.Text(chromedp.CSS(`#job-state`)), &state),
		into(chromedp.Text(chromedp.CSS(`#artifacts`)), &files),
		into(chromedp.Text(chromedp.CSS(`#job-duration`)), &dur),
		into(chromedp.Evaluate[int](`document.querySelectorAll("#abort").length`), &aborts),
		into(chromedp.Text(chromedp.CSS(`main`)), &main),
		b.shot(t, "job-live-after-end"),
	)
	if state != "success" || aborts != 0 || dur != "1.5s" {
		t.Errorf("after the end: state %q, %d abort buttons, duration %q", state, aborts, dur)
	}
	for _, want := range []string{"build-log.txt", "finished.json", "artifacts/junit_live.xml"} {
		if !strings.Contains(files, want) {
			t.Errorf("the file list lacks %s: %s", want, files)
		}
	}
	for _, want := range []string{"Finished", "all done", "1 run"} {
		if !strings.Contains(main, want) {
			t.Errorf("the finished page lacks %q:\n%s", want, main)
		}
	}
	// The page is what a reload shows.
	var reloaded string
	run(t, tab, chromedp.Navigate(f.http.URL+"/view/prowjob/"+runningJob), chromedp.WaitVisible(chromedp.CSS(`#artifacts`)),
		into(chromedp.Text(chromedp.CSS(`.summary`)), &reloaded))
	if !strings.Contains(main, reloaded[:min(len(reloaded), 60)]) {
		t.Errorf("the swapped page's summary differs from a reload's:\n%s\n---\n%s", main, reloaded)
	}
}

func browserEarlierFolds(t *testing.T, f *fixture, b *browser) {
	long := "logs/long-folded-job/1"
	quiet := strings.Repeat(strings.Repeat("q", 99)+"\n", 40)
	f.write(long+"/build-log.txt", quiet+"ERROR: early trouble\n"+quiet+strings.Repeat(strings.Repeat("z", 99)+"\n", 3000))
	ctx := b.tab(t)
	var folds, errOpen, nums string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/view/local/"+long),
		chromedp.WaitVisible(chromedp.CSS(`#log-more`)),
		chromedp.Click(chromedp.CSS(`#log-more`)),
		until(`document.getElementById("log-more-box") === null`),
		into(chromedp.Evaluate[string](`document.querySelector("#build-log details.fold > summary").firstChild.data + " " +
			[41, 46, 47].map(n => document.querySelector('#build-log .ln[data-n="' + n + '"]').closest("details") !== null).join(",")`), &folds),
		into(chromedp.Evaluate[string](`(l => l.textContent + " " + (l.closest("details") === null) + " " + l.dataset.n)(document.querySelector("#build-log .ln.err"))`), &errOpen),
		into(chromedp.Evaluate[string](`String(document.querySelectorAll("#build-log .ln[data-n]").length)`), &nums),
		b.shot(t, "job-log-show-earlier-folded"),
	)
	// 40 quiet lines, then the error with 5 lines either side open.
	if folds != "35 lines false,false,true" || errOpen != "ERROR: early trouble true 41" || nums != "3081" {
		t.Errorf("folds %q; error line %q; %s numbered lines", folds, errOpen, nums)
	}
	// The page's own folds get the buttons too: 10 more below the first
	// fold (lines 1-35) shows 26-35.
	var shown string
	run(t, ctx,
		chromedp.Click(chromedp.CSS(`#build-log details.fold .fold-down`)),
		into(chromedp.Evaluate[string](`[20, 25, 26, 35].map(n => document.querySelector('#build-log .ln[data-n="' + n + '"]').closest("details") === null).join(",") + " " +
			document.querySelector("#build-log details.fold > summary").firstChild.data`), &shown),
	)
	if shown != "false,false,true,true 25 lines" {
		t.Errorf("after 10 more below the first fold: %s", shown)
	}
}
