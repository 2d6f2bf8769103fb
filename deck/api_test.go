package deck_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/prowbot/prow/deck"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

type jobsAnswer struct {
	Jobs []struct {
		Name, Job, State, URL string
	}
	Continue string
}

func TestAPIJobsPages(t *testing.T) {
	f := newFixture(t, withPageSize(3))
	var names []string
	next := ""
	for range 10 {
		rec := f.do("GET", "/api/jobs?continue="+url.QueryEscape(next), "", nil)
		if rec.Code != 200 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		ans := decode[jobsAnswer](t, rec.Body.Bytes())
		if len(ans.Jobs) > 3 {
			t.Fatalf("page of %d jobs, want at most 3", len(ans.Jobs))
		}
		for _, j := range ans.Jobs {
			names = append(names, j.Name)
		}
		if next = ans.Continue; next == "" {
			break
		}
	}
	want := []string{runningJob, finishedPR, "pj-periodic-0", "pj-periodic-1", "pj-periodic-2", "pj-periodic-3", "pj-periodic-4"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("pages gave %v, want %v (hidden jobs skipped, no job twice)", names, want)
	}
	t.Run("the list page links to the next page", func(t *testing.T) {
		if body := f.do("GET", "/", "", nil).Body.String(); !strings.Contains(body, `id="next-page" href="/?continue=`) {
			t.Errorf("no next link:\n%s", body)
		}
	})
}

func TestAPIJob(t *testing.T) {
	f := newFixture(t)
	rec := f.do("GET", "/api/job/"+finishedPR, "", nil)
	ans := decode[struct {
		Spec struct{ Job string }
	}](t, rec.Body.Bytes())
	if rec.Code != 200 || ans.Spec.Job != prJob {
		t.Errorf("status %d, job %q", rec.Code, ans.Spec.Job)
	}
	if rec := f.do("GET", "/api/job/nope", "", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("missing job: %d %s", rec.Code, rec.Body.String())
	}
}

type liveAnswer struct {
	Text   string
	Offset int64
	State  string
	Done   bool
}

func TestAPILiveLog(t *testing.T) {
	f := newFixture(t)
	first := decode[liveAnswer](t, f.do("GET", "/api/log?job="+runningJob, "", nil).Body.Bytes())
	if first.Text != "live line 1: cloning\nlive line 2: building\n" || first.Done || first.State != "pending" {
		t.Fatalf("first poll %+v", first)
	}
	f.appendLive("live line 3: testing")
	f.appendRaw("half a li")
	second := decode[liveAnswer](t, f.do("GET", "/api/log?job="+runningJob+"&offset="+itoa(first.Offset), "", nil).Body.Bytes())
	if second.Text != "live line 3: testing\n" {
		t.Errorf("second poll %+v: want only the new whole line", second)
	}
	finished := decode[liveAnswer](t, f.do("GET", "/api/log?job="+finishedPR, "", nil).Body.Bytes())
	if !finished.Done {
		t.Errorf("a finished job without a live log is not done: %+v", finished)
	}
}

func TestAPILogRange(t *testing.T) {
	f := newFixture(t)
	src := "/api/log?src=local/" + prDir + "&file=build-log.txt"
	rec := f.do("GET", src+"&offset=0&length=14", "", nil)
	if rec.Code != 200 || rec.Body.String() != "I0101 12:00:01" {
		t.Errorf("range: %d %q", rec.Code, rec.Body.String())
	}
	if rec := f.do("GET", src+"&offset=99999999&length=10", "", nil); rec.Code != 416 {
		t.Errorf("past the end: %d", rec.Code)
	}
	if rec := f.do("GET", "/api/log?src=local/"+prDir+"&file=nope.txt&offset=0&length=10", "", nil); rec.Code != 404 {
		t.Errorf("missing file: %d", rec.Code)
	}
}

func TestAPIHistory(t *testing.T) {
	f := newFixture(t)
	ans := decode[struct {
		Total  int
		Builds []struct{ ID, State, URL string }
		Older  string
	}](t, f.do("GET", "/api/history/local/logs/"+periodicJob, "", nil).Body.Bytes())
	if ans.Total != 25 || len(ans.Builds) != 20 || ans.Builds[0].ID != "124" || ans.Older != "104" {
		t.Errorf("history %+v", ans)
	}
	if rec := f.do("GET", "/api/history/local/logs/no-such-job", "", nil); rec.Code != 404 {
		t.Errorf("unknown job: %d", rec.Code)
	}
	if rec := f.do("GET", "/api/history/local/pr-logs/pull/acme_widget", "", nil); rec.Code != 404 {
		t.Errorf("not a history dir: %d", rec.Code)
	}
	pr := decode[struct {
		Jobs []struct {
			Job  string
			Runs []struct{ Name string }
		}
	}](t, f.do("GET", "/api/pr-history?org=acme&repo=widget&pr=12", "", nil).Body.Bytes())
	if len(pr.Jobs) != 2 || pr.Jobs[0].Job != "pull-widget-e2e" || pr.Jobs[1].Job != prJob {
		t.Errorf("PR history %+v", pr)
	}
}

func TestBadge(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Three more failing pull-widget-* jobs, so a glob names three and
	// says how many more.
	for i, job := range []string{"pull-widget-a", "pull-widget-b", "pull-widget-c"} {
		if _, err := f.store.Create(ctx, f.job("pj-badge-"+job, job, prowapi.FailureState, "acme", "widget", 40+i, "9"+itoa(int64(i)))); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ jobs, want string }{
		{periodicJob, ">passing<"},
		{prJob, ">failing " + prJob + "<"},
		{periodicJob + "," + prJob, ">failing " + prJob + "<"},
		{"periodic-*", ">passing<"},
		{"*nightly", ">passing<"},
		{"pull-widget-unit*", ">failing " + prJob + "<"},
		{"pull-widget-*", " and 1 more<"},
		{"pull-widget-[ab]", ">no results<"},
		{"pull-vault", ">no results<"},
		{"pull-vau*", ">no results<"},
		{"no-such-job", ">no results<"},
		{"no-such-*", ">no results<"},
		{"", ">no results<"},
	}
	for _, tc := range tests {
		t.Run(tc.jobs, func(t *testing.T) {
			rec := f.do("GET", "/badge.svg?jobs="+url.QueryEscape(tc.jobs), "", nil)
			if rec.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("badge %s: want %q in %s", tc.jobs, tc.want, rec.Body.String())
			}
		})
	}
	rec := f.do("GET", "/badge.svg?jobs=pull-widget-*", "", nil)
	if body := rec.Body.String(); !strings.Contains(body, ">failing pull-widget-") || strings.Count(body, "pull-widget-") != 2*3 {
		t.Errorf("a glob badge names three failing jobs (twice: label and text): %s", body)
	}
	if rec := f.do("GET", "/badge.svg?jobs="+strings.Repeat("a,", 21), "", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("21 names: status %d", rec.Code)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf reads the CSRF token from a page the user sees.
func (f *fixture) csrfOf(t *testing.T, user string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(f.do("GET", "/view/prowjob/"+finishedPR, user, nil).Body.String())
	if m == nil {
		t.Fatal("no CSRF token on the job page")
	}
	return m[1]
}

func TestRerunAndAbort(t *testing.T) {
	f := newFixture(t)
	aliceToken := f.csrfOf(t, allowedUser)
	malloryToken := f.csrfOf(t, otherUser)
	tests := []struct {
		name, path, user, job, token string
		status                       int
		want                         string
	}{
		{"an allowed user reruns", "/rerun", allowedUser, finishedPR, aliceToken, 200, "A new run of " + prJob + " was started by alice"},
		{"another user is refused", "/rerun", otherUser, finishedPR, malloryToken, 403, "mallory may not rerun"},
		{"nobody logged in is refused", "/rerun", "", finishedPR, aliceToken, 401, "log in with GitHub"},
		{"a missing CSRF token is refused", "/rerun", allowedUser, finishedPR, "", 403, "CSRF token"},
		{"another user's CSRF token is refused", "/rerun", allowedUser, finishedPR, malloryToken, 403, "CSRF token"},
		{"a hidden job cannot be rerun", "/rerun", allowedUser, hiddenRepo, aliceToken, 404, "Job not found"},
		{"an allowed user aborts a running job", "/abort", allowedUser, runningJob, aliceToken, 200, "was aborted by alice"},
		{"another user cannot abort", "/abort", otherUser, runningJob, malloryToken, 403, "mallory may not abort"},
		{"a finished job cannot be aborted", "/abort", allowedUser, finishedPR, aliceToken, 409, "already finished"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do("POST", tc.path, tc.user, url.Values{"job": {tc.job}, "csrf": {tc.token}})
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("POST %s: status %d, want %d with %q\n%s", tc.path, rec.Code, tc.status, tc.want, rec.Body.String())
			}
		})
	}
	if len(f.reruns) != 1 || f.reruns[0] != finishedPR+" by alice" || len(f.aborts) != 1 || f.aborts[0] != runningJob+" by alice" {
		t.Errorf("reruns %v, aborts %v", f.reruns, f.aborts)
	}
	t.Run("a cross-site form is refused", func(t *testing.T) {
		req := url.Values{"job": {finishedPR}, "csrf": {aliceToken}}
		rec := f.doWith("POST", "/rerun", allowedUser, req, map[string]string{"Origin": "https://evil.example"})
		if rec.Code != 403 {
			t.Errorf("status %d", rec.Code)
		}
	})
	t.Run("GET is not a way to rerun", func(t *testing.T) {
		if rec := f.do("GET", "/rerun?job="+finishedPR, allowedUser, nil); rec.Code != 404 && rec.Code != 405 {
			t.Errorf("status %d", rec.Code)
		}
		if len(f.reruns) != 1 {
			t.Errorf("reruns %v", f.reruns)
		}
	})
}

func TestRerunAndAbortDisabled(t *testing.T) {
	f := newFixture(t, func(o *deck.Options) { o.Rerun, o.Abort = nil, nil })
	for path, want := range map[string]string{"/rerun": "Rerun disabled", "/abort": "Abort disabled"} {
		t.Run(path, func(t *testing.T) {
			rec := f.do("POST", path, allowedUser, url.Values{"job": {finishedPR}})
			verb := strings.TrimPrefix(path, "/")
			if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), want) || !strings.Contains(rec.Body.String(), "This deck cannot "+verb+" jobs.") {
				t.Errorf("POST %s: status %d, want 404 with %q\n%s", path, rec.Code, want, rec.Body.String())
			}
		})
	}
}
