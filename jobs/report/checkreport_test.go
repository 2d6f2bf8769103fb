package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/testlog"
)

// junitReport is a JUnit report with failures failed tests, each at
// hello.sh:<k+1> when placed, one passed test, and an unplaced failure.
func junitReport(failures int, placed bool) string {
	var b strings.Builder
	b.WriteString(`<testsuite name="unit"><testcase name="TestOK"/>`)
	for k := range failures {
		where := ""
		if placed {
			where = fmt.Sprintf(` file="hello.sh" line="%d"`, k+1)
		}
		fmt.Fprintf(&b, `<testcase classname="hello" name="TestCase%d"%s><failure message="case %d broke">trace %d</failure></testcase>`, k, where, k, k)
	}
	b.WriteString(`<testcase name="TestNowhere"><failure message="no place"/></testcase></testsuite>`)
	return b.String()
}

// decorate gives pj a build in the local bucket dir and writes report
// as its JUnit file ("" for none).
func decorate(t *testing.T, pj *prowapi.ProwJob, dir, build, report string) {
	t.Helper()
	pj.Spec.DecorationConfig = &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + dir, PathStrategy: storage.PathStrategyExplicit}}
	pj.Status.BuildID = build
	if report != "" {
		writeJUnit(t, pj, dir, report)
	}
}

// writeJUnit writes report as the JUnit file of pj's build in the local
// bucket dir.
func writeJUnit(tb testing.TB, pj *prowapi.ProwJob, dir, report string) {
	tb.Helper()
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := storage.NewLocal(dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	if _, err := b.Write(tb.Context(), path.Join(a.Dir, "artifacts", "junit_unit.xml"), bytes.NewReader([]byte(report)), storage.WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
}

// checkRuns lists every check run of sha in repo (filter=all: a
// duplicate of a name shows).
func (e *ghEnv) checkRuns(t *testing.T, repo, sha string) []github.CheckRun {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, e.url+"/api/v3/repos/demo/"+repo+"/commits/"+sha+"/check-runs?filter=all", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "token bot-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		CheckRuns []struct {
			ID int64 `json:"id"`
		} `json:"check_runs"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	var out []github.CheckRun
	for _, r := range list.CheckRuns {
		found, ok, err := e.bot.FindCheckRun(t.Context(), "demo", repo, sha, "unit")
		if err != nil || !ok || found.ID != r.ID {
			t.Fatalf("check run %d is not the one found by name: %+v, %v, %v", r.ID, found, ok, err)
		}
		out = append(out, found)
	}
	return out
}

func (e *ghEnv) onlyRun(t *testing.T, repo, sha string) github.CheckRun {
	t.Helper()
	runs := e.checkRuns(t, repo, sha)
	if len(runs) != 1 {
		t.Fatalf("%d check runs on %s, want 1: %+v", len(runs), sha, runs)
	}
	return runs[0]
}

func TestGitHubReporterWritesOneCheckRunPerJobAndCommit(t *testing.T) {
	e := startGitHub(t)
	e.cfg.GitHubReporter.ReportAs = config.ReportAsCheckRuns
	dir := t.TempDir()
	opener := storage.NewOpener(storage.GCSOptions{})
	newReporter := func() *GitHub { return NewGitHubWith(GitHubOptions{Client: e.bot, Buckets: opener}) }
	g := newReporter()

	pj := e.presubmit(t, "hello", "run-1", "unit", prowapi.TriggeredState)
	pj.Status.URL = ""
	decorate(t, pj, dir, "1", "")
	sha := pj.Spec.Refs.Pulls[0].SHA
	e.report(t, g, pj)
	first := e.onlyRun(t, "hello", sha)
	if first.Name != "unit" || first.Status != "queued" || first.Conclusion != "" || first.ExternalID != "run-1" ||
		first.Title != "Job triggered."+BaseSHAMarker+pj.Spec.Refs.BaseSHA || BaseSHAFromDescription(first.Title) != pj.Spec.Refs.BaseSHA {
		t.Fatalf("the triggered job's run: %+v", first)
	}
	if st, err := e.bot.ListStatuses(t.Context(), "demo", "hello", sha); err != nil || len(st) != 0 {
		t.Errorf("statuses besides the check run: %+v, %v", st, err)
	}

	pj.Status.State, pj.Status.Description, pj.Status.URL = prowapi.PendingState, "Job triggered.", "https://prow.example/view/run-1"
	e.report(t, g, pj)
	if run := e.onlyRun(t, "hello", sha); run.ID != first.ID || run.Status != "in_progress" || run.DetailsURL != "https://prow.example/view/run-1" {
		t.Fatalf("the running job's run: %+v", run)
	}

	// It fails with 60 placed failures: 60 annotations in two requests.
	decorate(t, pj, dir, "1", junitReport(60, true))
	pj.Status.State, pj.Status.Description = prowapi.FailureState, "Job failed."
	e.report(t, g, pj)
	run := e.onlyRun(t, "hello", sha)
	if run.ID != first.ID || run.Status != "completed" || run.Conclusion != "failure" || run.AnnotationsCount != 60 ||
		run.Title != "Job failed."+BaseSHAMarker+pj.Spec.Refs.BaseSHA || run.Summary != "Job failed.\n\n62 tests: 1 passed, 61 failed." ||
		!strings.Contains(run.Text, "### 61 failed tests") || !strings.Contains(run.Text, "#### `hello.TestCase59`\nat `hello.sh:60` in suite unit") ||
		!strings.Contains(run.Text, "#### `TestNowhere`") {
		t.Fatalf("the failed job's run: %+v", run)
	}
	anns, err := e.bot.ListCheckRunAnnotations(t.Context(), "demo", "hello", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a := anns[59]; len(anns) != 60 || a.Path != "hello.sh" || a.StartLine != 60 || a.Level != "failure" || a.Message != "case 59 broke" ||
		a.Title != "hello.TestCase59" || a.RawDetails != "trace 59" {
		t.Fatalf("%d annotations, the last %+v", len(anns), anns[len(anns)-1])
	}
	// The failure comment is still written.
	if cs := e.reports(t, "hello"); len(cs) != 1 || !strings.Contains(cs[0].Body, "unit | "+sha) {
		t.Errorf("failure comments: %+v", cs)
	}
	// Reported again (a retry): nothing is added.
	e.report(t, g, pj)
	if run := e.onlyRun(t, "hello", sha); run.AnnotationsCount != 60 {
		t.Errorf("a repeated report added annotations: %d", run.AnnotationsCount)
	}

	// After a restart, a rerun of the job finds the run by name and head
	// and updates it in place: queued again, then failed with one more
	// failure, whose annotation alone is added.
	g = newReporter()
	rerun := e.presubmit(t, "hello", "run-2", "unit", prowapi.TriggeredState)
	decorate(t, rerun, dir, "2", "")
	e.report(t, g, rerun)
	if run := e.onlyRun(t, "hello", sha); run.ID != first.ID || run.Status != "queued" || run.Conclusion != "" || run.ExternalID != "run-2" {
		t.Fatalf("the rerun's run: %+v", run)
	}
	decorate(t, rerun, dir, "2", junitReport(61, true))
	rerun.Status.State, rerun.Status.Description = prowapi.FailureState, "Job failed."
	e.report(t, g, rerun)
	if run := e.onlyRun(t, "hello", sha); run.ID != first.ID || run.Conclusion != "failure" || run.AnnotationsCount != 61 {
		t.Fatalf("the failed rerun's run: %+v", run)
	}

	// A third run passes.
	third := e.presubmit(t, "hello", "run-3", "unit", prowapi.SuccessState)
	decorate(t, third, dir, "3", junitReport(0, true))
	e.report(t, g, third)
	if run := e.onlyRun(t, "hello", sha); run.ID != first.ID || run.Conclusion != "success" || run.Text != "" ||
		run.Summary != "Job success.\n\n2 tests: 1 passed, 1 failed." {
		t.Fatalf("the passed run's run: %+v", run)
	}
}

func TestReportAsDefaultsToCheckRunsForAGitHubApp(t *testing.T) {
	cases := []struct {
		name, reportAs string
		app            bool
		wantRuns       bool
	}{
		{"a token bot reports statuses", "", false, false},
		{"an app reports check runs", "", true, true},
		{"an app told to report statuses does", config.ReportAsStatuses, true, false},
		{"a token bot told to report check runs does", config.ReportAsCheckRuns, false, true},
	}
	for k, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := startGitHub(t)
			e.cfg.GitHubReporter.ReportAs = c.reportAs
			g := NewGitHubWith(GitHubOptions{Client: e.bot, App: c.app})
			pj := e.presubmit(t, "quiet", fmt.Sprint("job-", k), "unit", prowapi.PendingState)
			sha := pj.Spec.Refs.Pulls[0].SHA
			e.report(t, g, pj)
			runs := e.checkRuns(t, "quiet", sha)
			statuses, err := e.bot.ListStatuses(t.Context(), "demo", "quiet", sha)
			if err != nil {
				t.Fatal(err)
			}
			if (len(runs) == 1) != c.wantRuns || (len(statuses) == 1) == c.wantRuns {
				t.Errorf("%d check runs, %d statuses", len(runs), len(statuses))
			}
		})
	}
}

func TestCheckRunsNeedAClientThatWritesThem(t *testing.T) {
	g := NewGitHubWith(GitHubOptions{Client: statusOnlyClient{}})
	cfg := &config.Config{}
	cfg.GitHubReporter.ReportAs = config.ReportAsCheckRuns
	pj := failedPresubmit("unit", "abc", "u", "/test unit", nil)
	pj.Spec.Report = true
	err := g.Report(t.Context(), testlog.Discard(), cfg, pj)
	if err == nil || !strings.Contains(err.Error(), "cannot write check runs") {
		t.Errorf("Report = %v", err)
	}
}

// statusOnlyClient is a GitHubClient that cannot write check runs.
type statusOnlyClient struct{ GitHubClient }
