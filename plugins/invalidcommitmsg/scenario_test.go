package invalidcommitmsg_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/invalidcommitmsg"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = "plugins:\n  demo:\n    plugins: [invalidcommitmsg]\n"

func notices(env *harness.Env, n int) []string {
	var out []string
	for _, c := range env.Comments("demo", "hello", n) {
		if c.User == harness.Bot && strings.HasPrefix(c.Body, invalidcommitmsg.Marker) {
			out = append(out, c.Body)
		}
	}
	return out
}

func TestInvalidCommitMsgThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "bob").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{invalidcommitmsg.New(c)} })
	check := func(step string, n int, labels []string, notes int, listed ...string) {
		t.Helper()
		if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, labels) {
			t.Fatalf("%s: labels %v, want %v", step, got, labels)
		}
		got := notices(env, n)
		if len(got) != notes {
			t.Fatalf("%s: %d notices, want %d", step, len(got), notes)
		}
		for _, want := range listed {
			if !strings.Contains(got[0], want) {
				t.Fatalf("%s: the notice lacks %q:\n%s", step, want, got[0])
			}
		}
	}
	blocked := []string{invalidcommitmsg.Label}

	env.Commit("bob", "fix", "a.txt", "Fix the flake\n\nFixes #1")
	n := env.OpenPullFrom("bob", "demo", "hello", "fix", "main", "Fix the flake")
	check("opened with a closing keyword", n, blocked, 1, "(Fix the flake) has an issue-closing keyword")

	env.Commit("bob", "fix", "a.txt", "fixup! Fix the flake")
	check("a fixup commit pushed", n, blocked, 1, "(Fix the flake)", "(fixup! Fix the flake) has a fixup commit subject")

	// The author rewrites the branch with a clean message.
	clean := env.Commit("bob", "fix-clean", "a.txt", "Fix the flake")
	env.Do("bob", http.MethodPatch, "/repos/demo/hello/git/refs/heads/fix", map[string]any{"sha": clean, "force": true}, nil)
	env.Settle()
	check("force-pushed clean", n, []string{}, 0)

	edit := func(title string) {
		env.Do("bob", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), map[string]string{"title": title}, nil)
		env.Settle()
	}
	edit("Fix the flake, thanks @alice")
	check("a title with a mention", n, blocked, 1, "the title", "@mention")
	edit("Fix the flake")
	check("the title fixed", n, []string{}, 0)
}
