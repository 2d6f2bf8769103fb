package report

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/memstore"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

// ghEnv is the sandbox GitHub with repositories demo/hello (comments),
// demo/quiet (no_comment_repos) and demo/summary (summary_comment_repos),
// each with pull request 1 by alice, and clients acting as the bot and
// as alice.
type ghEnv struct {
	bot, alice *github.Client
	cfg        *config.Config
	// url is the sandbox's.
	url string
}

func startGitHub(t *testing.T) *ghEnv {
	t.Helper()
	b := seed.New().User("the-bot", "bot-token").User("alice", "alice-token").Members("the-bot").Collaborators("write", "the-bot").
		Pull("alice", "Change", sandbox.FileChanges{"a.txt": "a\n"})
	for _, name := range []string{"demo/quiet", "demo/summary"} {
		b.Repo(sandbox.SeedRepo{Name: name, Collaborators: map[string]string{"the-bot": "write"}}).
			PullWith(sandbox.SeedPull{Repo: name, Number: 1, Author: "alice", Title: "Change", Files: sandbox.FileChanges{"a.txt": "a\n"}})
	}
	_, ts := seed.Serve(t, b.Seed())
	cfg := &config.Config{}
	cfg.GitHubReporter = config.GitHubReporter{NoCommentRepos: []string{"demo/quiet"}, SummaryCommentRepos: []string{"demo/summary"}}
	cfg.Plank.ReportTemplateString = "[Full PR test history](https://prow.example/pr-history?org={{.Spec.Refs.Org}}&repo={{.Spec.Refs.Repo}}&pr={{with index .Spec.Refs.Pulls 0}}{{.Number}}{{end}})"
	return &ghEnv{bot: ghclient.New(t, ts.URL, "bot-token"), alice: ghclient.New(t, ts.URL, "alice-token"), cfg: cfg, url: ts.URL}
}

// presubmit is a run of a reported presubmit on pull request 1 of repo.
func (e *ghEnv) presubmit(t *testing.T, repo, name, context string, state prowapi.ProwJobState) *prowapi.ProwJob {
	t.Helper()
	pr, err := e.bot.GetPullRequest(t.Context(), "demo", repo, 1)
	if err != nil {
		t.Fatal(err)
	}
	pj := &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull-" + context, Report: true, Context: context,
			RerunCommand: "/test " + context,
			Refs: &prowapi.Refs{Org: "demo", Repo: repo, BaseRef: pr.BaseRef, BaseSHA: pr.BaseSHA,
				Pulls: []prowapi.Pull{{Number: 1, Author: "alice", SHA: pr.HeadSHA}}}},
		Status: prowapi.ProwJobStatus{State: state, Description: "Job " + string(state) + ".", URL: "https://prow.example/view/" + name},
	}
	return pj
}

// report runs the reporter as the loop would.
func (e *ghEnv) report(t *testing.T, g *GitHub, pj *prowapi.ProwJob) {
	t.Helper()
	if !g.ShouldReport(e.cfg, pj) {
		t.Fatalf("job %s is not to be reported", pj.Name)
	}
	if err := g.Report(t.Context(), testlog.Discard(), e.cfg, pj); err != nil {
		t.Fatalf("report %s: %v", pj.Name, err)
	}
}

// reports are the bot's tagged comments on pull request 1 of repo.
func (e *ghEnv) reports(t *testing.T, repo string) []github.IssueComment {
	t.Helper()
	all, err := e.bot.ListIssueComments(t.Context(), "demo", repo, 1)
	if err != nil {
		t.Fatal(err)
	}
	var out []github.IssueComment
	for _, c := range all {
		if c.User == "the-bot" && strings.Contains(c.Body, CommentTag) {
			out = append(out, c)
		}
	}
	return out
}

func contexts(body string) []string {
	var out []string
	for _, r := range parseRows(body) {
		out = append(out, r.Context)
	}
	return out
}

func (e *ghEnv) status(t *testing.T, repo, sha, context string) github.Status {
	t.Helper()
	all, err := e.bot.ListStatuses(t.Context(), "demo", repo, sha)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(s github.Status) bool { return s.Context == context })
	if i < 0 {
		t.Fatalf("no status %s on %s: %+v", context, sha, all)
	}
	return all[i]
}

func TestGitHubReporterKeepsStatusesAndOneFailureComment(t *testing.T) {
	e := startGitHub(t)
	g := NewGitHub(e.bot, nil)
	// A human comment quoting the tag is never the bot's to touch.
	if _, err := e.alice.CreateComment(t.Context(), "demo", "hello", 1, "looks good "+CommentTag); err != nil {
		t.Fatal(err)
	}
	var commentID int64

	t.Run("a pending job sets a pending status with its context, link and base SHA", func(t *testing.T) {
		pj := e.presubmit(t, "hello", "unit-1", "ci/unit", prowapi.PendingState)
		e.report(t, g, pj)
		st := e.status(t, "hello", pj.Spec.Refs.Pulls[0].SHA, "ci/unit")
		if st.State != "pending" || st.TargetURL != pj.Status.URL || BaseSHAFromDescription(st.Description) != pj.Spec.Refs.BaseSHA ||
			!strings.HasPrefix(st.Description, "Job pending.") {
			t.Errorf("status %+v", st)
		}
		if got := e.reports(t, "hello"); len(got) != 0 {
			t.Errorf("a pending job made report comments: %+v", got)
		}
	})
	t.Run("a failing job sets a failure status and creates the comment", func(t *testing.T) {
		pj := e.presubmit(t, "hello", "unit-1", "ci/unit", prowapi.FailureState)
		e.report(t, g, pj)
		if st := e.status(t, "hello", pj.Spec.Refs.Pulls[0].SHA, "ci/unit"); st.State != "failure" {
			t.Errorf("status %+v, want failure", st)
		}
		got := e.reports(t, "hello")
		if len(got) != 1 {
			t.Fatalf("%d report comments, want 1", len(got))
		}
		want := renderFailures("alice", []Row{rowFor(pj)}, "[Full PR test history](https://prow.example/pr-history?org=demo&repo=hello&pr=1)")
		if got[0].Body != want {
			t.Errorf("comment\n%s\nwant\n%s", got[0].Body, want)
		}
	})
	t.Run("a second failing job of the pull adds its row to the single comment", func(t *testing.T) {
		e.report(t, g, e.presubmit(t, "hello", "e2e-1", "ci/e2e", prowapi.FailureState))
		got := e.reports(t, "hello")
		if len(got) != 1 || !slices.Equal(contexts(got[0].Body), []string{"ci/unit", "ci/e2e"}) {
			t.Fatalf("report comments %+v, want one listing ci/unit and ci/e2e", got)
		}
		if !strings.Contains(got[0].Body, "The following tests **failed**") {
			t.Errorf("comment does not say tests: %s", got[0].Body)
		}
		commentID = got[0].ID
	})
	t.Run("a rerun that passes drops its row in place", func(t *testing.T) {
		e.report(t, g, e.presubmit(t, "hello", "unit-2", "ci/unit", prowapi.SuccessState))
		got := e.reports(t, "hello")
		if len(got) != 1 || got[0].ID != commentID || !slices.Equal(contexts(got[0].Body), []string{"ci/e2e"}) {
			t.Fatalf("report comments %+v, want comment %d listing ci/e2e only", got, commentID)
		}
	})
	t.Run("when everything passes the comment is deleted", func(t *testing.T) {
		e.report(t, g, e.presubmit(t, "hello", "e2e-2", "ci/e2e", prowapi.SuccessState))
		if got := e.reports(t, "hello"); len(got) != 0 {
			t.Fatalf("report comments %+v, want none", got)
		}
		all, err := e.bot.ListIssueComments(t.Context(), "demo", "hello", 1)
		if err != nil || len(all) != 1 || all[0].User != "alice" {
			t.Errorf("comments %+v (%v), want alice's alone", all, err)
		}
	})
}

func TestGitHubReporterNeverRacesOnAPullsComment(t *testing.T) {
	e := startGitHub(t)
	g := NewGitHub(e.bot, nil)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		pj := e.presubmit(t, "hello", fmt.Sprint("job-", i), fmt.Sprint("ci/test-", i), prowapi.FailureState)
		wg.Go(func() { errs[i] = g.Report(t.Context(), testlog.Discard(), e.cfg, pj) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	got := e.reports(t, "hello")
	if len(got) != 1 || len(parseRows(got[0].Body)) != n {
		t.Fatalf("report comments %+v, want one with %d rows", got, n)
	}
}

func TestGitHubReporterRepositoryOptions(t *testing.T) {
	e := startGitHub(t)
	g := NewGitHub(e.bot, nil)
	t.Run("no_comment_repos get the status but no comment", func(t *testing.T) {
		pj := e.presubmit(t, "quiet", "unit-1", "ci/unit", prowapi.FailureState)
		e.report(t, g, pj)
		if st := e.status(t, "quiet", pj.Spec.Refs.Pulls[0].SHA, "ci/unit"); st.State != "failure" {
			t.Errorf("status %+v, want failure", st)
		}
		if got := e.reports(t, "quiet"); len(got) != 0 {
			t.Errorf("report comments %+v in a no_comment repo", got)
		}
	})
	t.Run("summary_comment_repos keep an all passed comment", func(t *testing.T) {
		e.report(t, g, e.presubmit(t, "summary", "unit-1", "ci/unit", prowapi.FailureState))
		first := e.reports(t, "summary")
		e.report(t, g, e.presubmit(t, "summary", "unit-2", "ci/unit", prowapi.SuccessState))
		got := e.reports(t, "summary")
		if len(first) != 1 || len(got) != 1 || got[0].ID != first[0].ID ||
			!strings.HasPrefix(got[0].Body, "@alice: all tests **passed!**") {
			t.Fatalf("report comments %+v, want comment %d saying all tests passed", got, first[0].ID)
		}
	})
	t.Run("a postsubmit sets its status on the base commit and never comments", func(t *testing.T) {
		pj := e.presubmit(t, "hello", "post-1", "ci/post", prowapi.FailureState)
		pj.Spec.Type = prowapi.PostsubmitJob
		pj.Spec.Refs.Pulls = nil
		e.report(t, g, pj)
		if st := e.status(t, "hello", pj.Spec.Refs.BaseSHA, "ci/post"); st.State != "failure" {
			t.Errorf("status %+v, want failure", st)
		}
		if got := e.reports(t, "hello"); len(got) != 0 {
			t.Errorf("report comments %+v for a postsubmit", got)
		}
	})
	t.Run("a status on an unknown commit is given up quietly", func(t *testing.T) {
		pj := e.presubmit(t, "hello", "gone-1", "ci/gone", prowapi.FailureState)
		pj.Spec.Refs.Pulls[0].SHA = strings.Repeat("0", 40)
		if err := g.Report(t.Context(), testlog.Discard(), e.cfg, pj); err != nil {
			t.Errorf("Report = %v, want the error swallowed", err)
		}
	})
}

func TestGitHubShouldReport(t *testing.T) {
	cfg := &config.Config{}
	base := func(mut func(pj *prowapi.ProwJob)) *prowapi.ProwJob {
		pj := &prowapi.ProwJob{
			Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Report: true, Context: "ci/unit",
				Refs: &prowapi.Refs{Org: "o", Repo: "r", BaseSHA: "base", Pulls: []prowapi.Pull{{Number: 1, SHA: "head"}}}},
			Status: prowapi.ProwJobStatus{State: prowapi.PendingState},
		}
		if mut != nil {
			mut(pj)
		}
		return pj
	}
	cases := []struct {
		name string
		cfg  *config.Config
		pj   *prowapi.ProwJob
		want bool
	}{
		{"a reported presubmit", cfg, base(nil), true},
		{"a postsubmit", cfg, base(func(pj *prowapi.ProwJob) { pj.Spec.Type = prowapi.PostsubmitJob; pj.Spec.Refs.Pulls = nil }), true},
		{"a job with report: false", cfg, base(func(pj *prowapi.ProwJob) { pj.Spec.Report = false }), false},
		{"a periodic", cfg, base(func(pj *prowapi.ProwJob) { pj.Spec.Type = prowapi.PeriodicJob }), false},
		{"a batch of two pulls", cfg, base(func(pj *prowapi.ProwJob) {
			pj.Spec.Type = prowapi.BatchJob
			pj.Spec.Refs.Pulls = append(pj.Spec.Refs.Pulls, prowapi.Pull{Number: 2})
		}), false},
		{"a type the config does not list", &config.Config{ProwConfig: config.ProwConfig{GitHubReporter: config.GitHubReporter{
			JobTypesToReport: []prowapi.ProwJobType{prowapi.PostsubmitJob}}}}, base(nil), false},
		{"a job without refs", cfg, base(func(pj *prowapi.ProwJob) { pj.Spec.Refs = nil }), false},
		{"a job without a commit", cfg, base(func(pj *prowapi.ProwJob) { pj.Spec.Refs.Pulls[0].SHA = "" }), false},
		{"an aborted run", cfg, base(func(pj *prowapi.ProwJob) { pj.Status.State = prowapi.AbortedState }), true},
		{"a run aborted because a newer one replaced it", cfg, base(func(pj *prowapi.ProwJob) {
			pj.Status.State = prowapi.AbortedState
			pj.Status.PrevReportStates = map[string]prowapi.ProwJobState{GitHubReporterName: prowapi.AbortedState}
		}), false},
	}
	g := NewGitHub(nil, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := g.ShouldReport(c.cfg, c.pj); got != c.want {
				t.Errorf("ShouldReport = %v, want %v", got, c.want)
			}
		})
	}
}

func TestSummaryCommentWaitsForEveryTestOfTheHead(t *testing.T) {
	e := startGitHub(t)
	store := memstore.New()
	g := NewGitHub(e.bot, store)
	put := func(name, context string, state prowapi.ProwJobState) *prowapi.ProwJob {
		pj := e.presubmit(t, "summary", name, context, state)
		if old, err := store.Get(t.Context(), name); err == nil {
			pj.ResourceVersion = old.ResourceVersion
			if _, err := store.Update(t.Context(), pj); err != nil {
				t.Fatal(err)
			}
		} else if _, err := store.Create(t.Context(), pj); err != nil {
			t.Fatal(err)
		}
		return pj
	}
	put("e2e-1", "ci/e2e", prowapi.PendingState)
	e.report(t, g, put("unit-1", "ci/unit", prowapi.FailureState))
	e.report(t, g, put("unit-2", "ci/unit", prowapi.SuccessState))
	if got := e.reports(t, "summary"); len(got) != 0 {
		t.Fatalf("report comments %+v while ci/e2e is running, want none", got)
	}
	e.report(t, g, put("e2e-1", "ci/e2e", prowapi.SuccessState))
	got := e.reports(t, "summary")
	if len(got) != 1 || !strings.HasPrefix(got[0].Body, "@alice: all tests **passed!**") {
		t.Fatalf("report comments %+v, want the all passed comment", got)
	}
}
