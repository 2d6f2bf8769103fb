package mergecommitblocker_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/mergecommitblocker"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// start runs the plugin in demo, whose pull request 1 is bob's.
func start(t *testing.T) *harness.Env {
	t.Helper()
	seed := harness.NewSeed("bob", "alice").Collaborators("write", "bob").
		Pull("bob", "Fix", sandbox.FileChanges{"a.txt": "a\n"}).Seed()
	return harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [mergecommitblocker]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{mergecommitblocker.New(c)}
	})
}

func TestMergeCommitBlockerThroughHookAndSandbox(t *testing.T) {
	env := start(t)
	check := func(t *testing.T, wantLabels []string, wantNotices int) {
		t.Helper()
		env.CheckLabelNotice(t, 1, mergecommitblocker.IsNotice, wantLabels, wantNotices)
	}
	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)
	var linear string
	step("a linear push is not marked", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"b.txt": "b\n"})
		check(t, []string{}, 0)
		var pr struct {
			Head struct{ SHA string } `json:"head"`
		}
		env.Do("bob", http.MethodGet, "/repos/demo/hello/pulls/1", nil, &pr)
		linear = pr.Head.SHA
	})

	// The base moves on and the author merges it in with "Update branch".
	step("merging the base in marks it", func(t *testing.T) {
		env.PushBranch("alice", "demo", "hello", "main", map[string]string{"c.txt": "c\n"})
		env.Do("bob", http.MethodPut, "/repos/demo/hello/pulls/1/update-branch", nil, nil)
		env.Settle()
		check(t, []string{mergecommitblocker.Label}, 1)
	})
	step("a push on top of the merge adds no second notice", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"d.txt": "d\n"})
		check(t, []string{mergecommitblocker.Label}, 1)
	})

	// A delivery replayed after a crash between the comment and the label
	// adds the label and no second comment.
	step("a replayed delivery restores the label without a second notice", func(t *testing.T) {
		if err := env.GitHub.RemoveLabel(context.Background(), "demo", "hello", 1, mergecommitblocker.Label); err != nil {
			t.Fatal(err)
		}
		env.Settle()
		p := mergecommitblocker.New(env.GitHub)
		ev := plugins.PullRequestEvent{Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "synchronize",
			PR: github.PullRequest{Number: 1, State: "open", Author: "bob"}}
		env.ReplayTwice(t, "mergecommitblocker/0", func(ctx context.Context, penv plugins.Env) error { return p.PullRequest(ctx, penv, ev) })
		check(t, []string{mergecommitblocker.Label}, 1)
	})

	// The author drops the merge (force-pushing the linear branch back).
	step("dropping the merge clears the label and the notice", func(t *testing.T) {
		env.Do("bob", http.MethodPatch, "/repos/demo/hello/git/refs/heads/bob-patch-1", map[string]any{"sha": linear, "force": true}, nil)
		env.Settle()
		check(t, []string{}, 0)
		for _, c := range env.Comments("demo", "hello", 1) {
			if strings.Contains(c.Body, "merge commits") {
				t.Errorf("a notice is left: %q", c.Body)
			}
		}
	})
}
