package needsrebase_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/needsrebase"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// start runs the plugin in demo, whose README.md says hello and whose
// pull request 1, bob's, changes it.
func start(t *testing.T) *harness.Env {
	t.Helper()
	seed := harness.NewSeed("bob", "alice").Collaborators("write", "bob").Files(sandbox.FileChanges{"README.md": "hello\n"}).
		Pull("bob", "Greet bob", sandbox.FileChanges{"README.md": "hello bob\n"}).Seed()
	return harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [needs-rebase]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{needsrebase.New(c)}
	})
}

func TestNeedsRebaseThroughHookAndSandbox(t *testing.T) {
	env := start(t)
	check := func(t *testing.T, wantLabels []string, wantNotices int) {
		t.Helper()
		env.CheckLabelNotice(t, 1, needsrebase.IsNotice, wantLabels, wantNotices)
	}
	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)
	step("a push that merges cleanly leaves it unmarked", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"b.txt": "b\n"})
		check(t, []string{}, 0)
	})

	// The base changes the same line: the pull request now conflicts.
	step("a conflicting push to the base marks it", func(t *testing.T) {
		env.PushBranch("alice", "demo", "hello", "main", map[string]string{"README.md": "hello alice\n"})
		check(t, []string{needsrebase.Label}, 1)
	})
	step("another push to the base adds no second notice", func(t *testing.T) {
		env.PushBranch("alice", "demo", "hello", "main", map[string]string{"other.txt": "x\n"})
		check(t, []string{needsrebase.Label}, 1)
	})

	// A push delivery replayed after a crash between the comment and the
	// label adds the label and no second comment.
	step("a replayed push restores the label without a second notice", func(t *testing.T) {
		if err := env.GitHub.RemoveLabel(context.Background(), "demo", "hello", 1, needsrebase.Label); err != nil {
			t.Fatal(err)
		}
		env.Settle()
		p := needsrebase.New(env.GitHub)
		ev := plugins.PushEvent{Repo: plugins.Repo{Org: "demo", Name: "hello"}, Ref: "refs/heads/main"}
		env.ReplayTwice(t, "needs-rebase/0", func(ctx context.Context, penv plugins.Env) error { return p.Push(ctx, penv, ev) })
		check(t, []string{needsrebase.Label}, 1)
	})

	// The author rebases on the new base, resolving the conflict, and
	// force-pushes.
	step("a rebase clears the label and the notice", func(t *testing.T) {
		env.PushBranch("bob", "demo", "hello", "bob-rebased", map[string]string{"README.md": "hello alice and bob\n", "b.txt": "b\n"})
		var branch struct {
			Commit struct{ SHA string } `json:"commit"`
		}
		env.Do("bob", http.MethodGet, "/repos/demo/hello/branches/bob-rebased", nil, &branch)
		env.Do("bob", http.MethodPatch, "/repos/demo/hello/git/refs/heads/bob-patch-1", map[string]any{"sha": branch.Commit.SHA, "force": true}, nil)
		env.Settle()
		check(t, []string{}, 0)
	})
}

func TestMergingOnePullRequestMarksTheOneItConflictsWith(t *testing.T) {
	seed := harness.NewSeed("bob", "carol", "alice").Collaborators("write", "bob", "carol", "alice").Files(sandbox.FileChanges{"README.md": "hello\n"}).
		Pull("bob", "Greet bob", sandbox.FileChanges{"README.md": "hello bob\n"}).
		Pull("carol", "Greet carol", sandbox.FileChanges{"README.md": "hello carol\n"}).
		Pull("carol", "Add a file", sandbox.FileChanges{"other.txt": "x\n"}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [needs-rebase]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{needsrebase.New(c)}
	})
	env.Do("alice", http.MethodPut, "/repos/demo/hello/pulls/1/merge", map[string]string{"merge_method": "squash"}, nil)
	env.Settle()
	for _, tc := range []struct {
		name   string
		number int
		want   []string
	}{
		{"the merged pull request is not marked", 1, []string{}},
		{"the one that conflicts with it is marked", 2, []string{needsrebase.Label}},
		{"one that does not conflict is not marked", 3, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := env.Labels("demo", "hello", tc.number); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("#%d: labels %v, want %v", tc.number, got, tc.want)
			}
		})
	}
	var found bool
	for _, c := range env.Comments("demo", "hello", 2) {
		found = found || (needsrebase.IsNotice(c, harness.Bot) && strings.Contains(c.Body, "@carol: "+needsrebase.Message))
	}
	if !found {
		t.Error("#2 has no notice for carol")
	}
}
