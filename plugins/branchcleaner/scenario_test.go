package branchcleaner_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/branchcleaner"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = "plugins:\n  demo/hello:\n    plugins: [branchcleaner]\nbranch_cleaner:\n  preserved_branches:\n    demo: [keep-me]\n"

func exists(t *testing.T, env *harness.Env, branch string) bool {
	t.Helper()
	var refs []struct {
		Ref string `json:"ref"`
	}
	env.Do("alice", http.MethodGet, "/repos/demo/hello/git/matching-refs/heads/"+branch, nil, &refs)
	for _, r := range refs {
		if r.Ref == "refs/heads/"+branch {
			return true
		}
	}
	return false
}

func merge(env *harness.Env, n int) {
	env.Do("alice", http.MethodPut, fmt.Sprintf("/repos/demo/hello/pulls/%d/merge", n), map[string]string{"merge_method": "merge"}, nil)
	env.Settle()
}

func TestBranchCleanerThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice", "bob").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{branchcleaner.New(c)} })

	n := env.OpenPull("bob", "demo", "hello", "feature", "main", "Feature", map[string]string{"a.txt": "a\n"})
	kept := env.OpenPull("bob", "demo", "hello", "keep-me", "main", "Kept", map[string]string{"b.txt": "b\n"})
	closed := env.OpenPull("bob", "demo", "hello", "abandoned", "main", "Abandoned", map[string]string{"c.txt": "c\n"})
	// A pull request stacked on another's branch.
	base := env.OpenPull("bob", "demo", "hello", "part-1", "main", "Part 1", map[string]string{"d.txt": "d\n"})
	env.PushBranch("bob", "demo", "hello", "part-2", map[string]string{"e.txt": "e\n"})
	env.Do("bob", http.MethodPost, "/repos/demo/hello/pulls", map[string]string{"title": "Part 2", "head": "part-2", "base": "part-1"}, nil)
	env.Settle()

	merge(env, n)
	if exists(t, env, "feature") {
		t.Error("the merged pull request's branch is still there")
	}
	merge(env, kept)
	if !exists(t, env, "keep-me") {
		t.Error("a preserved branch was deleted")
	}
	env.Do("bob", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/pulls/%d", closed), map[string]string{"state": "closed"}, nil)
	env.Settle()
	if !exists(t, env, "abandoned") {
		t.Error("the branch of a pull request closed unmerged was deleted")
	}
	merge(env, base)
	if !exists(t, env, "part-1") {
		t.Error("a branch an open pull request targets was deleted")
	}
	// Deleting again (a replayed delivery) is no error.
	if err := env.GitHub.DeleteRef(context.Background(), "demo", "hello", "heads/feature"); err != nil {
		t.Errorf("deleting a deleted branch: %v", err)
	}
}
