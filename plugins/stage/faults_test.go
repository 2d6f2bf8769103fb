package stage_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/stage"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics on every event, and with a third of the
// bot's requests failing or dropped before GitHub applies them, the stage
// labels still end as the commands say, without a reply.
func TestStageUnderFaultsAndAPanickingNeighbour(t *testing.T) {
	env := harness.StartBesidePanicker(t, seed(), "plugins:\n  demo:\n    plugins: [stage]\n", stage.Name, func(c *github.Client) plugins.Plugin { return stage.New(c) })
	env.InjectFaults(0.3, 19)
	env.CommentThroughFaults("bob", "demo", "hello", 1, "/stage alpha")
	env.CommentThroughFaults("bob", "demo", "hello", 1, "/stage beta")
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, []string{"kind/feature", "stage/beta"}) {
		t.Fatalf("labels %v", got)
	}
	if got := env.BotComments("demo", "hello", 1); len(got) != 0 {
		t.Errorf("the bot replied: %q", got)
	}
	env.CheckFaultsStruck()
}

// Dispatched beside a plugin that hangs until its timeout and one that
// panics, the command takes effect without waiting for them.
func TestStageBesideAStallingAndAPanickingPlugin(t *testing.T) {
	env := harness.StartWithoutPlugins(t, seed())
	ev := plugins.GenericCommentEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: plugins.CommentCreated,
		Body: "/stage beta", User: "bob", Number: 1, IssueState: "open", Labels: []string{"kind/feature"}}
	harness.DispatchBeside(t, stage.New(env.GitHub), &pluginconfig.Configuration{}, plugins.Delivery{GUID: "d1", EventType: "issue_comment", Events: []any{ev}})
	if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, []string{"kind/feature", "stage/beta"}) {
		t.Fatalf("labels %v", got)
	}
}
