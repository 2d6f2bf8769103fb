package milestoneapplier_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/milestoneapplier"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = `plugins:
  demo:
    plugins: [milestoneapplier]
milestone_applier:
  demo/hello:
    main: v1.31
    release-1.30: v1.30
`

func seed() *sandbox.Seed {
	return harness.NewSeed("alice", "bob").Collaborators("write", "alice").Milestones("v1.30", "v1.31", "v1.32").Branches("release-1.30").
		Pull("bob", "Plain fix", sandbox.FileChanges{"a": "a\n"}).
		PullWith(sandbox.SeedPull{Author: "bob", Title: "Chosen milestone", Files: sandbox.FileChanges{"b": "b\n"}, Milestone: "v1.32"}).
		PullWith(sandbox.SeedPull{Author: "bob", Title: "Backport", Base: "release-1.30", Files: sandbox.FileChanges{"c": "c\n"}, Milestone: "v1.31"}).
		Pull("bob", "Left open", sandbox.FileChanges{"d": "d\n"}).Seed()
}

func milestoneOf(t *testing.T, env *harness.Env, n int) string {
	t.Helper()
	m, err := env.GitHub.IssueMilestone(context.Background(), "demo", "hello", n)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func merge(env *harness.Env, n int) {
	env.Do("alice", http.MethodPut, fmt.Sprintf("/repos/demo/hello/pulls/%d/merge", n), map[string]string{"merge_method": "squash"}, nil)
	env.Settle()
}

func TestMilestoneApplierThroughHookAndSandbox(t *testing.T) {
	env := harness.Start(t, seed(), pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{milestoneapplier.New(c)}
	})
	for _, n := range []int{1, 2, 3} {
		merge(env, n)
	}
	env.Do("bob", http.MethodPatch, "/repos/demo/hello/pulls/4", map[string]string{"state": "closed"}, nil)
	env.Settle()
	for _, c := range []struct {
		n    int
		want string
		why  string
	}{
		{1, "v1.31", "a merge into main gets main's milestone"},
		{2, "v1.32", "a merge into main keeps the milestone it had"},
		{3, "v1.30", "a merge into the release branch gets the branch's milestone over its own"},
		{4, "", "a pull request closed unmerged gets none"},
	} {
		t.Run(c.why, func(t *testing.T) {
			if got := milestoneOf(t, env, c.n); got != c.want {
				t.Errorf("#%d: milestone %q, want %q", c.n, got, c.want)
			}
		})
	}
}
