package report

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

// BenchmarkGitHubCallsPerJob: the GitHub API calls the GitHub reporter
// makes to report one presubmit (triggered, pending, then failed with
// JUnit failures at a file and line), as commit statuses and as check
// runs, on the sandbox. The failure comment is left out (no_comment_repos):
// it costs the same either way. check-runs/60-annotations fails with 60
// placed failures (two requests of annotations); check-runs/rerun is a
// second run of a job on the same commit, whose check run is updated.
func BenchmarkGitHubCallsPerJob(b *testing.B) {
	for _, c := range []struct {
		name     string
		reportAs string
		failures int
		rerun    bool
	}{
		{"statuses", config.ReportAsStatuses, 3, false},
		{"check-runs", config.ReportAsCheckRuns, 3, false},
		{"check-runs/60-annotations", config.ReportAsCheckRuns, 60, false},
		{"check-runs/rerun", config.ReportAsCheckRuns, 3, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := newBenchWorld(b)
			cfg := &config.Config{}
			cfg.GitHubReporter = config.GitHubReporter{ReportAs: c.reportAs, NoCommentRepos: []string{"demo"}}
			g := NewGitHubWith(GitHubOptions{Client: w.client, Buckets: storage.NewOpener(storage.GCSOptions{})})
			var calls int64
			for i := range b.N {
				context := fmt.Sprint("job-", i)
				if c.rerun {
					w.reportRun(b, g, cfg, context, fmt.Sprint(i, "-first"), c.failures)
				}
				before := w.calls.Load()
				w.reportRun(b, g, cfg, context, fmt.Sprint(i), c.failures)
				calls += w.calls.Load() - before
			}
			b.ReportMetric(float64(calls)/float64(b.N), "calls/job")
		})
	}
}

// benchWorld is a sandbox with one pull request, the bot's client, and
// a count of the API requests it answered.
type benchWorld struct {
	client *github.Client
	calls  atomic.Int64
	dir    string
	sha    string
}

func newBenchWorld(b *testing.B) *benchWorld {
	b.Helper()
	s := seed.New().User("the-bot", "bot-token").User("alice", "alice-token").Members("the-bot").Collaborators("write", "the-bot").
		Pull("alice", "Change", sandbox.FileChanges{"a.txt": "a\n"}).Seed()
	srv, err := sandbox.New(sandbox.Options{Seed: s, GitDir: b.TempDir(), Logger: testlog.Discard()})
	if err != nil {
		b.Fatal(err)
	}
	w := &benchWorld{dir: b.TempDir()}
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v3/") {
			w.calls.Add(1)
		}
		h.ServeHTTP(rw, r)
	}))
	b.Cleanup(func() { ts.Close(); srv.Close() })
	w.client = ghclient.New(b, ts.URL, "bot-token")
	pr, err := w.client.GetPullRequest(b.Context(), "demo", "hello", 1)
	if err != nil {
		b.Fatal(err)
	}
	w.sha = pr.HeadSHA
	return w
}

// reportRun reports a run of the presubmit context through its states,
// failing with failures placed JUnit failures.
func (w *benchWorld) reportRun(b *testing.B, g *GitHub, cfg *config.Config, context, name string, failures int) {
	b.Helper()
	pj := &prowapi.ProwJob{}
	pj.Name = "run-" + name
	pj.Spec = prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: context, Report: true, Context: context,
		Refs: &prowapi.Refs{Org: "demo", Repo: "hello", BaseRef: "main", Pulls: []prowapi.Pull{{Number: 1, Author: "alice", SHA: w.sha}}}}
	pj.Spec.DecorationConfig = &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + w.dir, PathStrategy: storage.PathStrategyExplicit}}
	pj.Status = prowapi.ProwJobStatus{BuildID: name, URL: "https://prow.example/view/" + name}
	for _, st := range []prowapi.ProwJobState{prowapi.TriggeredState, prowapi.PendingState, prowapi.FailureState} {
		pj.Status.State = st
		if st == prowapi.FailureState {
			writeJUnit(b, pj, w.dir, junitReport(failures, true))
		}
		if err := g.Report(b.Context(), testlog.Discard(), cfg, pj); err != nil {
			b.Fatal(err)
		}
	}
}
