package milestone_test

import (
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/milestone"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics on every event, and with a third of the
// bot's requests failing or dropped before GitHub applies them, the
// command still takes effect and a refusal is posted once.
func TestMilestoneUnderFaultsAndAPanickingNeighbour(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Milestones("v1.0").
		Team(sandbox.SeedTeam{Slug: "release-team", Members: []string{"alice"}}).
		Issue("bob", "A bug").Seed()
	env := harness.StartBesidePanicker(t, seed, pluginsYAML, milestone.Name, func(c *github.Client) plugins.Plugin { return milestone.New(c) })
	env.InjectFaults(0.3, 11)
	env.CommentThroughFaults("bob", "demo", "hello", 1, "/milestone v1.0")
	env.CommentThroughFaults("alice", "demo", "hello", 1, "/milestone v1.0")
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got := current(t, env, 1); got != "v1.0" {
		t.Fatalf("milestone %q, want v1.0", got)
	}
	if refusals := env.CountComments("demo", "hello", 1, "only members of"); refusals > 1 {
		t.Fatalf("%d refusals, want at most 1", refusals)
	}
	env.CheckFaultsStruck()
}

// Dispatched beside a plugin that hangs until its timeout and one that
// panics, the command takes effect without waiting for them.
func TestMilestoneBesideAStallingAndAPanickingPlugin(t *testing.T) {
	seed := harness.NewSeed("alice").Milestones("v1.0").
		Team(sandbox.SeedTeam{Slug: "release-team", Members: []string{"alice"}}).Issue("alice", "A bug").Seed()
	env := harness.StartWithoutPlugins(t, seed)
	cfg := &pluginconfig.Configuration{RepoMilestone: map[string]pluginconfig.Milestone{"": {MaintainersTeam: "release-team"}}}
	ev := plugins.GenericCommentEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: plugins.CommentCreated,
		Body: "/milestone v1.0", User: "alice", Number: 1, IssueState: "open"}
	harness.DispatchBeside(t, milestone.New(env.GitHub), cfg, plugins.Delivery{GUID: "d1", EventType: "issue_comment", Events: []any{ev}})
	if got := current(t, env, 1); got != "v1.0" {
		t.Fatalf("milestone %q, want v1.0", got)
	}
	if cs := env.Comments("demo", "hello", 1); len(cs) != 0 {
		t.Fatalf("comments %+v, want none", cs)
	}
}
