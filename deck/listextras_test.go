package deck_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// withConfigJobs adds configured jobs the store has never run: one
// shown, in cluster build-3, and one of the hidden repo.
func withConfigJobs(o *deck.Options) {
	orig := o.Config
	var once sync.Once
	var cfg *config.Config
	o.Config = func() *config.Config {
		once.Do(func() {
			c := *orig()
			c.Presubmits = map[string][]config.Presubmit{
				"acme/widget":  {{JobBase: config.JobBase{Name: "pull-widget-config-only", Cluster: "build-3"}}},
				"secret/vault": {{JobBase: config.JobBase{Name: "pull-vault-config-only"}}},
			}
			cfg = &c
		})
		return cfg
	}
}

// addClusterJob adds a finished job that ran in cluster build-2.
func addClusterJob(t *testing.T, f *fixture) {
	pj := f.job("pj-build-2", "pull-widget-arm", prowapi.SuccessState, "acme", "widget", 14, "500")
	pj.Spec.Cluster = "build-2"
	if _, err := f.store.Create(context.Background(), pj); err != nil {
		t.Fatal(err)
	}
}

func browserListExtras(t *testing.T, f *fixture, b *browser) {
	addClusterJob(t, f)
	ctx := b.tab(t)
	var rev, revTitle, yaml, rerun string
	var segs, histTotal, finals int
	run(t, ctx,
		anonymous(f.http.URL),
		chromedp.Navigate(f.http.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#job-stats`)),
		into(chromedp.Evaluate[string](`document.querySelector('tr[data-name="pj-finished-pr"] td:nth-child(5)').textContent`), &rev),
		into(chromedp.Evaluate[string](`document.querySelector('tr[data-name="pj-finished-pr"] td:nth-child(5)').title`), &revTitle),
		into(chromedp.Evaluate[string](`document.querySelector('tr[data-name="pj-finished-pr"] td.acts a').getAttribute("href")`), &yaml),
		into(chromedp.Evaluate[string](`document.querySelector('tr[data-name="pj-finished-pr"] td.acts a.rerun').getAttribute("href")`), &rerun),
		into(chromedp.Evaluate[int](`document.querySelectorAll("#state-bar .seg").length`), &segs),
		into(chromedp.Evaluate[int](`[...document.querySelectorAll("#duration-histogram .hcol")].reduce((n, c) => n + Number(c.dataset.count), 0)`), &histTotal),
		into(chromedp.Evaluate[int](`document.querySelectorAll("#job-rows tr.st-success, #job-rows tr.st-failure").length`), &finals),
		b.shot(t, "job-list-extras"),
	)
	if rev != "def200" || !strings.Contains(revTitle, "pull request's head commit") {
		t.Errorf("revision cell %q, title %q", rev, revTitle)
	}
	if yaml != "/prowjob?prowjob=pj-finished-pr" || rerun != "/rerun?prowjob=pj-finished-pr" {
		t.Errorf("row actions: YAML %q, rerun %q", yaml, rerun)
	}
	if segs < 2 || histTotal != finals {
		t.Errorf("%d state segments; histogram counts %d jobs, the list has %d finished", segs, histTotal, finals)
	}

	// Suggestions appear once a filter box is used; the hidden repo's
	// job does not.
	var jobsDL, clustersDL string
	run(t, ctx,
		chromedp.Focus(chromedp.CSS(`#filter-box`)),
		until(`document.getElementById("filters").dataset.suggested === "true"`),
		into(chromedp.Evaluate[string](`[...document.querySelectorAll("#dl-jobs option")].map(o => o.value).join(" ")`), &jobsDL),
		into(chromedp.Evaluate[string](`[...document.querySelectorAll("#dl-clusters option")].map(o => o.value).join(" ")`), &clustersDL),
		chromedp.SendKeys(chromedp.CSS(`#filter-box`), "pull-widget-c"),
		b.shot(t, "job-list-suggestions"),
	)
	for _, want := range []string{"pull-widget-config-only", prJob, periodicJob} {
		if !strings.Contains(jobsDL, want) {
			t.Errorf("job suggestions lack %s: %s", want, jobsDL)
		}
	}
	if strings.Contains(jobsDL, "vault") || strings.Contains(jobsDL, "secret-scan") {
		t.Errorf("job suggestions show hidden jobs: %s", jobsDL)
	}
	if clustersDL != "build-2 build-3 default" {
		t.Errorf("cluster suggestions %q", clustersDL)
	}

	// The cluster filter.
	var rows string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/?cluster=build-2"),
		chromedp.WaitVisible(chromedp.CSS(`#job-rows`)),
		into(chromedp.Evaluate[string](`[...document.querySelectorAll("#job-rows tr")].map(r => r.dataset.name).join(" ")`), &rows),
		b.shot(t, "job-list-cluster"),
	)
	if rows != "pj-build-2" {
		t.Errorf("cluster build-2 lists %q", rows)
	}

	// Logged in, rerun is a button that posts.
	var button string
	run(t, ctx,
		as(f.http.URL, allowedUser),
		chromedp.Navigate(f.http.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-name="pj-finished-pr"] button.rerun`)),
		into(chromedp.Evaluate[string](`document.querySelector('tr[data-name="pj-finished-pr"] button.rerun').form.method`), &button),
	)
	if button != "post" {
		t.Errorf("the rerun button's form %q", button)
	}
}

// anonymous logs the browser out (tabs share their cookies).
func anonymous(base string) step {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, network.DeleteCookies, network.DeleteCookiesParams{Name: "test-user", URL: base})
		return chromedp.Void{}, err
	}
}

// TestSameDurationEverywhere checks that the list, the job page and the
// job history write a sub-second run's duration alike.
func TestSameDurationEverywhere(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i, ms := range []int{400, 95_000 + 600} {
		name := fmt.Sprintf("pj-quick-%d", i)
		job := fmt.Sprintf("quick-periodic-%d", i)
		pj := f.job(name, job, prowapi.SuccessState, "", "", 0, "70"+fmt.Sprint(i))
		pj.Spec.Type, pj.Spec.Refs = prowapi.PeriodicJob, nil
		pj.Spec.DecorationConfig.GCSConfiguration.PathStrategy = ""
		start := time.Unix(f.start.Unix(), 800e6)
		pj.Status.StartTime = metav1.NewTime(start)
		done := metav1.NewTime(start.Add(time.Duration(ms) * time.Millisecond))
		pj.Status.CompletionTime = &done
		if _, err := f.store.Create(ctx, pj); err != nil {
			t.Fatal(err)
		}
		dir := "logs/" + job + "/" + pj.Status.BuildID
		end := done.Unix()
		passed := true
		f.writeJSON(dir+"/prowjob.json", pj)
		f.writeJSON(dir+"/started.json", storage.Started{Timestamp: start.Unix()})
		f.writeJSON(dir+"/finished.json", storage.Finished{Timestamp: &end, Passed: &passed, Result: "SUCCESS"})
		want := map[int]string{0: "0.4s", 1: "1m36s"}[i]

		list := f.do(http.MethodGet, "/?job="+job, "", nil).Body.String()
		page := f.do(http.MethodGet, "/view/local/"+dir, "", nil).Body.String()
		hist := f.do(http.MethodGet, "/job-history/local/logs/"+job, "", nil).Body.String()
		got := []string{
			cell(t, list, `<td class="hide-s">([^<]*)</td>\s*<td class="hide-s acts">`),
			cell(t, page, `<span id="job-duration">([^<]*)</span>`),
			cell(t, hist, `<td>([0-9.hms]+)</td>`),
		}
		for j, where := range []string{"list", "job page", "job history"} {
			if got[j] != want {
				t.Errorf("%s run: the %s says %q, want %q", job, where, got[j], want)
			}
		}
	}
}

// cell is the first submatch of re in page.
func cell(t *testing.T, page, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(page)
	if m == nil {
		t.Errorf("no %s in:\n%s", re, page)
		return ""
	}
	return m[1]
}

// TestRevisionSameWhilePendingAndFinished checks that a presubmit's
// revision is its PR head commit while it runs and once it has finished
// (whose finished.json says another commit), on the list, the job page
// and the job history, with a tooltip saying so.
func TestRevisionSameWhilePendingAndFinished(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pj, err := f.store.Get(ctx, finishedPR)
	if err != nil {
		t.Fatal(err)
	}
	pending := pj.DeepCopy()
	pending.Status.State, pending.Status.CompletionTime = prowapi.PendingState, nil
	if _, err := f.store.Update(ctx, pending); err != nil {
		t.Fatal(err)
	}
	revision := `title="the pull request&#39;s head commit (the same while the job runs and after)">def200<`
	for _, state := range []string{"pending", "finished"} {
		if state == "finished" {
			cur, err := f.store.Get(ctx, finishedPR)
			if err != nil {
				t.Fatal(err)
			}
			cur.Status = pj.Status
			if _, err := f.store.Update(ctx, cur); err != nil {
				t.Fatal(err)
			}
		}
		for _, target := range []string{"/?job=" + prJob, "/view/prowjob/" + finishedPR, "/view/local/" + prDir} {
			if body := f.do(http.MethodGet, target, "", nil).Body.String(); !strings.Contains(body, revision) {
				t.Errorf("%s: %s lacks the PR head revision:\n%s", state, target, body)
			}
		}
	}
	if body := f.do(http.MethodGet, "/job-history/local/pr-logs/directory/"+prJob, "", nil).Body.String(); !strings.Contains(body, revision) {
		t.Errorf("the job history lacks the PR head revision:\n%s", body)
	}
}
