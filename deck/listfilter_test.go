package deck_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestListFilters(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name         string
		path         string
		status       int
		want, absent []string
	}{
		{name: "a glob with a prefix finds every job it covers", path: "/?job=pull-widget-*", status: 200,
			want: []string{prJob, "pull-widget-e2e", `value="pull-widget-*"`, `data-api="/api/jobs?job=pull-widget-%2A"`}, absent: []string{periodicJob + "<"}},
		{name: "a glob on both sides finds a part of a name", path: "/?job=*nightly*", status: 200,
			want: []string{periodicJob}, absent: []string{prJob, "pull-widget-e2e"}},
		{name: "a glob that matches nothing says so", path: "/?job=*junit*", status: 200,
			want: []string{"No jobs match."}},
		{name: "a name without a glob is still exact", path: "/?job=pull-widget", status: 200,
			want: []string{"No jobs match."}},
		{name: "a glob never shows a hidden job", path: "/?job=pull-*", status: 200,
			want: []string{prJob}, absent: []string{"pull-vault", "secret-scan"}},
		{name: "the author filter ignores case", path: "/?author=BoB", status: 200,
			want: []string{prJob, "pull-widget-e2e"}, absent: []string{periodicJob + "<"}},
		{name: "pull is Prow's parameter for the PR number", path: "/?pull=12", status: 200,
			want: []string{prJob, "pull-widget-e2e", `name="pull" value="12"`}, absent: []string{periodicJob + "<"}},
		{name: "a pull no job ran for lists nothing", path: "/?pull=99", status: 200,
			want: []string{"No jobs match."}},
		{name: "pr still works for old links", path: "/?pr=12", status: 200,
			want: []string{prJob, `name="pull" value="12"`}, absent: []string{periodicJob + "<"}},
		{name: "a pull that is not a number is refused", path: "/?pull=two", status: 400,
			want: []string{"pull &#34;two&#34; is not a pull request number"}},
		{name: "the API takes the same glob, author and pull", path: "/api/jobs?job=pull-widget-*&author=BOB&pull=12", status: 200,
			want: []string{`"job":"` + prJob + `"`, `"job":"pull-widget-e2e"`}, absent: []string{periodicJob}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.get(t, tc.path)
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			checkHas(t, "the answer", body, tc.want, tc.absent)
		})
	}
}

// browserListFilters types a glob into the job filter and opens
// Prow's ?pull= link, in a real browser.
func browserListFilters(t *testing.T, f *fixture, b *browser) {
	ctx := b.tab(t)
	var rows string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#filter-box`)),
		chromedp.SendKeys(chromedp.CSS(`#filter-box`), "pull-widget-*"),
	)
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS(`#filter-box`))); err != nil {
		t.Fatalf("submit the filter: %v", err)
	}
	run(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`tr[data-name="`+finishedPR+`"]`)),
		into(chromedp.Text(chromedp.CSS(`#job-rows`)), &rows),
		b.shot(t, "job-list-glob"),
	)
	if !strings.Contains(rows, prJob) || !strings.Contains(rows, "pull-widget-e2e") || strings.Contains(rows, periodicJob) {
		t.Errorf("the glob listed %q", rows)
	}
	var url string
	run(t, ctx, into(chromedp.Evaluate[string](`location.search`), &url))
	if !strings.Contains(url, "job=pull-widget-") {
		t.Errorf("the filter went to %q", url)
	}

	var pulls, pullBox string
	run(t, ctx,
		chromedp.Navigate(f.http.URL+"/?pull=12"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-name="`+finishedPR+`"]`)),
		into(chromedp.Text(chromedp.CSS(`#job-rows`)), &pulls),
		into(chromedp.Evaluate[string](`document.querySelector('input[name="pull"]').value`), &pullBox),
		b.shot(t, "job-list-pull"),
	)
	if !strings.Contains(pulls, "#12") || strings.Contains(pulls, periodicJob) || pullBox != "12" {
		t.Errorf("?pull=12 listed %q with %q in the PR box", pulls, pullBox)
	}
}
