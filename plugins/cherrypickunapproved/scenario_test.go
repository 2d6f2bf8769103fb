package cherrypickunapproved_test

import (
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/cherrypickunapproved"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = "plugins:\n  demo:\n    plugins: [cherry-pick-unapproved]\ncherry_pick_unapproved:\n  branchregexp: ^release-\n  comment: Cherry-picks need the release team's approval.\n"

func comments(env *harness.Env, n int) []string {
	return env.BotComments("demo", "hello", n)
}

func TestCherryPickUnapprovedThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice", "bob").Labels(cherrypickunapproved.Approved).Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{cherrypickunapproved.New(c)} })
	check := func(step string, n int, labels []string, notes int) {
		t.Helper()
		got := env.Labels("demo", "hello", n)
		sort.Strings(got)
		if !reflect.DeepEqual(got, labels) {
			t.Fatalf("%s: labels %v, want %v", step, got, labels)
		}
		cs := comments(env, n)
		if len(cs) != notes {
			t.Fatalf("%s: %d comments of the bot's, want %d: %q", step, len(cs), notes, cs)
		}
		if notes > 0 && !strings.Contains(cs[0], "@bob: Cherry-picks need the release team's approval.") {
			t.Fatalf("%s: comment %q", step, cs[0])
		}
	}
	env.PushBranch("alice", "demo", "hello", "release-1.0", map[string]string{"VERSION": "1.0\n"})

	main := env.OpenPull("bob", "demo", "hello", "feature", "main", "Feature", map[string]string{"a.txt": "a\n"})
	check("a pull request to main", main, []string{}, 0)

	pick := env.OpenPull("bob", "demo", "hello", "pick", "release-1.0", "Cherry-pick the fix", map[string]string{"b.txt": "b\n"})
	check("a cherry-pick opened", pick, []string{cherrypickunapproved.Unapproved}, 1)

	env.Do("bob", http.MethodDelete, fmt.Sprintf("/repos/demo/hello/issues/%d/labels/%s", pick, "do-not-merge%2Fcherry-pick-not-approved"), nil, nil)
	env.Settle()
	check("the label taken off by hand comes back, without a second comment", pick, []string{cherrypickunapproved.Unapproved}, 1)

	env.Do("alice", http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", pick), map[string][]string{"labels": {cherrypickunapproved.Approved}}, nil)
	env.Settle()
	check("approved", pick, []string{cherrypickunapproved.Approved}, 1)

	env.Do("bob", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/pulls/%d", main), map[string]string{"base": "release-1.0"}, nil)
	env.Settle()
	check("a pull request moved onto the release branch", main, []string{cherrypickunapproved.Unapproved}, 1)
}
