package skip_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/skip"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const jobs = `presubmits:
  demo/hello:
  - name: unit
    always_run: true
    spec: {containers: [{image: golang}]}
  - name: e2e
    optional: true
    always_run: true
    spec: {containers: [{image: golang}]}
`

// startSkip starts hook with the skip plugin on a sandbox holding pull
// request #1 of demo/hello, which changes files; jc gives the in-repo
// jobs (nil: the central configuration only). It returns the pull request.
func startSkip(t *testing.T, config string, files sandbox.FileChanges, jc func(harness.Deps) skip.JobConfig) (*harness.Env, github.PullRequest) {
	t.Helper()
	seed := harness.NewSeed("author").Pull("author", "Change", files).Seed()
	env := harness.StartWithConfig(t, seed, config, "plugins:\n  demo:\n    plugins: [skip]\n", func(d harness.Deps) []plugins.Plugin {
		var getter skip.JobConfig
		if jc != nil {
			getter = jc(d)
		}
		return []plugins.Plugin{skip.New(d.GitHub, getter)}
	})
	pr, err := env.GitHub.GetPullRequest(context.Background(), "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	return env, pr
}

func TestSkipThroughHookAndSandbox(t *testing.T) {
	env, pr := startSkip(t, jobs, sandbox.FileChanges{"a": "a\n"}, nil)
	ctx := context.Background()
	for _, ctxName := range []string{"unit", "e2e"} {
		if err := env.GitHub.CreateStatus(ctx, "demo", "hello", pr.HeadSHA, github.Status{Context: ctxName, State: "failure"}); err != nil {
			t.Fatal(err)
		}
	}
	env.Comment("author", "demo", "hello", 1, "/skip")
	statuses, err := env.GitHub.ListStatuses(ctx, "demo", "hello", pr.HeadSHA)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range statuses {
		got = append(got, s.Context+"="+s.State+":"+s.Description)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "e2e=success:Skipped unit=failure:" {
		t.Fatalf("statuses %v: the optional job should be skipped, the required one left failing", got)
	}
}

func TestSkipKnowsTheJobsOfProwYAML(t *testing.T) {
	config := "in_repo_config:\n  enabled: {demo: true}\n  allowed_clusters: {\"*\": [default]}\n" + jobs
	prowYAML := "presubmits:\n- name: lint\n  optional: true\n  spec: {containers: [{image: x}]}\n"
	env, pr := startSkip(t, config, sandbox.FileChanges{".prow.yaml": prowYAML}, func(d harness.Deps) skip.JobConfig {
		return inrepo.New(d.Git, 0)
	})
	ctx := context.Background()
	if err := env.GitHub.CreateStatus(ctx, "demo", "hello", pr.HeadSHA, github.Status{Context: "lint", State: "failure"}); err != nil {
		t.Fatal(err)
	}
	env.Comment("author", "demo", "hello", 1, "/skip")
	statuses, err := env.GitHub.ListStatuses(ctx, "demo", "hello", pr.HeadSHA)
	if err != nil {
		t.Fatal(err)
	}
	if len(statuses) == 0 || statuses[0].Context != "lint" || statuses[0].Description != "Skipped" {
		t.Fatalf("statuses %+v: the optional job of the pull request's .prow.yaml should be skipped", statuses)
	}
}

// TestSkipSkipsCheckRuns: jobs reported as check runs (a GitHub App bot)
// are skipped with a check run; the required one stays failed.
func TestSkipSkipsCheckRuns(t *testing.T) {
	env, pr := startSkip(t, jobs, sandbox.FileChanges{"a": "a\n"}, nil)
	ctx := context.Background()
	for _, name := range []string{"unit", "e2e"} {
		if _, err := env.GitHub.CreateCheckRun(ctx, "demo", "hello", github.CheckRun{Name: name, HeadSHA: pr.HeadSHA, Status: "completed", Conclusion: "failure"}); err != nil {
			t.Fatal(err)
		}
	}
	env.Comment("author", "demo", "hello", 1, "/skip")
	runs, err := env.GitHub.ListCheckRuns(ctx, "demo", "hello", pr.HeadSHA)
	if err != nil {
		t.Fatal(err)
	}
	latest := map[string]string{}
	for _, r := range runs { // newest first
		if _, ok := latest[r.Name]; !ok {
			latest[r.Name] = r.Conclusion
		}
	}
	if latest["e2e"] != "skipped" || latest["unit"] != "failure" {
		t.Fatalf("check runs %+v: the optional job should be skipped, the required one left failing", runs)
	}
}
