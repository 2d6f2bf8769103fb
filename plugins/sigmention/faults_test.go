package sigmention_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/sigmention"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics on every event, and with half the
// bot's requests failing or dropped before GitHub applies them, an
// outsider's mention still labels the issue and is repeated once at most.
func TestSigMentionUnderFaultsAndAPanickingNeighbour(t *testing.T) {
	env := harness.StartBesidePanicker(t, seed(), pluginsYAML, sigmention.Name, func(c *github.Client) plugins.Plugin { return sigmention.New(c) })
	env.InjectFaults(0.5, 5)
	env.CommentThroughFaults("bob", "demo", "hello", 1, "@demo/sig-node-bugs please look")
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, []string{"kind/bug", "sig/node"}) {
		t.Fatalf("labels %v", got)
	}
	if got := botReplies(env, 1); len(got) > 1 {
		t.Fatalf("%d replies, want at most 1", len(got))
	}
	env.CheckFaultsStruck()
}

// Dispatched beside a plugin that hangs until its timeout and one that
// panics, an outsider's mention labels the issue and is repeated once.
func TestSigMentionBesideAStallingAndAPanickingPlugin(t *testing.T) {
	env := harness.StartWithoutPlugins(t, seed())
	cfg := &pluginconfig.Configuration{SigMention: pluginconfig.SigMention{Regexp: `(?m)@demo/sig-([\w-]*)-(misc|bugs|feature-requests)`}}
	ev := plugins.GenericCommentEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: plugins.CommentCreated,
		Body: "@demo/sig-node-bugs", User: "bob", Number: 1, IssueState: "open"}
	harness.DispatchBeside(t, sigmention.New(env.GitHub), cfg, plugins.Delivery{GUID: "d1", EventType: "issue_comment", Events: []any{ev}})
	if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, []string{"kind/bug", "sig/node"}) {
		t.Fatalf("labels %v", got)
	}
	if got := botReplies(env, 1); len(got) != 1 {
		t.Fatalf("%d replies, want 1", len(got))
	}
}
