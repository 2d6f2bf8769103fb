package milestonestatus_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/milestonestatus"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics on every event, and with a third of the
// bot's requests failing or dropped before GitHub applies them, the label
// is added and a refusal is posted once at most.
func TestMilestoneStatusUnderFaultsAndAPanickingNeighbour(t *testing.T) {
	env := harness.StartBesidePanicker(t, seed(), pluginsYAML, milestonestatus.Name, func(c *github.Client) plugins.Plugin { return milestonestatus.New(c) })
	env.InjectFaults(0.3, 13)
	env.CommentThroughFaults("bob", "demo", "hello", 1, "/status in-review")
	env.CommentThroughFaults("alice", "demo", "hello", 1, "/status in-review")
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"status/in-review"}) {
		t.Fatalf("labels %v", got)
	}
	if refusals := env.CountComments("demo", "hello", 1, "only members of"); refusals > 1 {
		t.Fatalf("%d refusals, want at most 1", refusals)
	}
	env.CheckFaultsStruck()
}

// Dispatched beside a plugin that hangs until its timeout and one that
// panics, the command takes effect without waiting for them.
func TestMilestoneStatusBesideAStallingAndAPanickingPlugin(t *testing.T) {
	env := harness.StartWithoutPlugins(t, seed())
	cfg := &pluginconfig.Configuration{RepoMilestone: map[string]pluginconfig.Milestone{"": {MaintainersTeam: "release-team"}}}
	ev := plugins.GenericCommentEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: plugins.CommentCreated,
		Body: "/status in-progress", User: "alice", Number: 1, IsPR: true, IssueState: "open"}
	harness.DispatchBeside(t, milestonestatus.New(env.GitHub), cfg, plugins.Delivery{GUID: "d1", EventType: "issue_comment", Events: []any{ev}})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"status/in-progress"}) {
		t.Fatalf("labels %v", got)
	}
}
