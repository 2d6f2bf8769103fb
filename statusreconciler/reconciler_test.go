package statusreconciler

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/memstore"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

// pulls of the scenario, by number.
const (
	byMember = iota + 1
	byStranger
	byStrangerOkToTest
	draftByMember
	onReleaseBranch
)

func reconcileSandbox(t *testing.T) *github.Client {
	t.Helper()
	pull := func(author, base string, draft bool, files sandbox.FileChanges, labels ...string) sandbox.SeedPull {
		return sandbox.SeedPull{Author: author, Title: "Change", Base: base, Draft: draft, Files: files, Labels: labels}
	}
	s := seed.New().Bot("the-bot", "bot-token").User("member", "member-token").Members("member").User("stranger", "stranger-token").
		Labels("ok-to-test").Branches("release-1").
		PullWith(pull("member", "", false, sandbox.FileChanges{"a.go": "a\n"})).
		PullWith(pull("stranger", "", false, sandbox.FileChanges{"docs/b.md": "b\n"})).
		PullWith(pull("stranger", "", false, sandbox.FileChanges{"docs/c.md": "c\n"}, "ok-to-test")).
		PullWith(pull("member", "", true, sandbox.FileChanges{"docs/d.md": "d\n"})).
		PullWith(pull("member", "release-1", false, sandbox.FileChanges{"docs/e.md": "e\n"})).Seed()
	_, ts := seed.Serve(t, s)
	return ghclient.New(t, ts.URL, "bot-token")
}

func configOf(ps ...config.Presubmit) *config.Config {
	return &config.Config{ProwConfig: config.ProwConfig{ProwJobNamespace: "prow"}, JobConfig: config.JobConfig{Presubmits: map[string][]config.Presubmit{"demo/hello": ps}}}
}

func TestReconcileOnTheSandbox(t *testing.T) {
	ctx := context.Background()
	gh := reconcileSandbox(t)
	store := memstore.New()
	heads := map[int]string{}
	for n := byMember; n <= onReleaseBranch; n++ {
		pr, err := gh.GetPullRequest(ctx, "demo", "hello", n)
		if err != nil {
			t.Fatal(err)
		}
		heads[n] = pr.HeadSHA
	}
	for _, s := range []struct {
		pr             int
		context, state string
	}{
		{byMember, "old", "failure"}, {byMember, "legacy-ctx", "pending"}, {byStranger, "old", "success"},
	} {
		if err := gh.CreateStatus(ctx, "demo", "hello", heads[s.pr], github.Status{Context: s.context, State: s.state, Description: "Job ran."}); err != nil {
			t.Fatal(err)
		}
	}
	old := configOf(job("unit", nil), job("old", nil), job("ctx-job", func(p *config.Presubmit) { p.Context = "legacy-ctx" }))
	next := configOf(job("unit", nil),
		job("new", func(p *config.Presubmit) { p.SkipBranches = []string{"^release-"} }),
		job("docs", func(p *config.Presubmit) { p.AlwaysRun, p.RunIfChanged = false, "^docs/" }),
		job("ctx-job", func(p *config.Presubmit) { p.Context = "ci/ctx" }))
	r := &Reconciler{GitHub: gh, Jobs: store, Logger: testlog.Discard(),
		BotLogin: func(context.Context) (string, error) { return "the-bot", nil }}
	if err := r.Reconcile(ctx, old, next); err != nil {
		t.Fatal(err)
	}

	started := map[string]bool{}
	list, err := store.List(ctx, jobs.Filter{}, jobs.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pj := range list.Items {
		started[fmt.Sprintf("%s #%d", pj.Spec.Job, pj.Spec.Refs.Pulls[0].Number)] = true
	}
	for _, tc := range []struct {
		name string
		job  string
		pr   int
		want bool
	}{
		{"a new always_run job starts on a member's pull request", "new", byMember, true},
		{"not on an untrusted author's", "new", byStranger, false},
		{"but on one with ok-to-test", "new", byStrangerOkToTest, true},
		{"not on a draft", "new", draftByMember, false},
		{"not where its branch filter excludes the base", "new", onReleaseBranch, false},
		{"a new run_if_changed job starts where its files changed", "docs", onReleaseBranch, true},
		{"and not where they did not", "docs", byMember, false},
		{"an unchanged job does not rerun", "unit", byMember, false},
		{"a job whose context was renamed does not rerun", "ctx-job", byMember, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := started[fmt.Sprintf("%s #%d", tc.job, tc.pr)]; got != tc.want {
				t.Errorf("%s started on #%d: %v, want %v (started: %v)", tc.job, tc.pr, got, tc.want, keys(started))
			}
		})
	}

	statuses := func(n int) map[string]github.Status {
		all, err := gh.ListStatuses(ctx, "demo", "hello", heads[n])
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]github.Status{}
		for _, s := range all {
			out[s.Context] = s
		}
		return out
	}
	for _, tc := range []struct {
		name                string
		pr                  int
		context, state, why string
	}{
		{"a removed job's failed context is retired", byMember, "old", "success", RetiredDescription},
		{"a renamed context is retired pointing at the new one", byMember, "legacy-ctx", "success", `Context retired. Status moved to "ci/ctx".`},
		{"its status moved to the new context", byMember, "ci/ctx", "pending", "Job ran."},
		{"a removed job's green context is left alone", byStranger, "old", "success", "Job ran."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s := statuses(tc.pr)[tc.context]; s.State != tc.state || s.Description != tc.why {
				t.Errorf("#%d %s is %s %q, want %s %q", tc.pr, tc.context, s.State, s.Description, tc.state, tc.why)
			}
		})
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
