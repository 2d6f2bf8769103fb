package sigmention_test

import (
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/sigmention"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = `plugins:
  demo:
    plugins: [sigmention]
sigmention:
  regexp: (?m)@demo/sig-([\w-]*)-(misc|bugs|feature-requests)
`

func seed() *sandbox.Seed {
	return harness.NewSeed("alice", "bob").Members("alice").
		Labels("sig/node", "sig/testing", "kind/bug", "kind/feature").
		Issue("alice", "Nodes fall over").Seed()
}

func sorted(l []string) []string { sort.Strings(l); return l }

func botReplies(env *harness.Env, n int) []string {
	return env.BotComments("demo", "hello", n)
}

func TestSigMentionThroughHookAndSandbox(t *testing.T) {
	env := harness.Start(t, seed(), pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{sigmention.New(c)}
	})
	env.Comment("alice", "demo", "hello", 1, "This looks like one for @demo/sig-node-bugs.")
	if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, []string{"kind/bug", "sig/node"}) {
		t.Fatalf("labels %v after a member's mention", got)
	}
	if got := botReplies(env, 1); len(got) != 0 {
		t.Fatalf("a member's mention got replies %q", got)
	}

	// An outsider opens an issue mentioning a team in its description.
	var issue struct {
		Number int `json:"number"`
	}
	env.Do("bob", http.MethodPost, "/repos/demo/hello/issues", map[string]string{"title": "Flaky tests", "body": "@demo/sig-testing-feature-requests and @demo/sig-storage-misc"}, &issue)
	env.Settle()
	if got := sorted(env.Labels("demo", "hello", issue.Number)); !reflect.DeepEqual(got, []string{"kind/feature", "sig/testing"}) {
		t.Fatalf("labels %v after an outsider's mention (sig/storage does not exist)", got)
	}
	got := botReplies(env, issue.Number)
	if len(got) != 1 || !strings.Contains(got[0], "here they are again: @demo/sig-testing-feature-requests, @demo/sig-storage-misc") {
		t.Fatalf("replies %q, want the mentions repeated once", got)
	}
}
