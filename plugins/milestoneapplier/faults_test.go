package milestoneapplier_test

import (
	"net/http"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/milestoneapplier"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics on every event, and with half the
// bot's requests failing or dropped before GitHub applies them, a merged
// pull request still gets its milestone, and the bot writes no comment.
func TestMilestoneApplierUnderFaultsAndAPanickingNeighbour(t *testing.T) {
	yaml := "plugins:\n  demo:\n    plugins: [milestoneapplier]\nmilestone_applier:\n  demo/hello:\n    main: v1.31\n"
	env := harness.StartBesidePanicker(t, seed(), yaml, milestoneapplier.Name, func(c *github.Client) plugins.Plugin { return milestoneapplier.New(c) })
	env.InjectFaults(0.5, 3)
	env.DoThroughFaults("alice", http.MethodPut, "/repos/demo/hello/pulls/1/merge", map[string]string{"merge_method": "squash"})
	env.Settle()
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got := milestoneOf(t, env, 1); got != "v1.31" {
		t.Fatalf("milestone %q, want v1.31", got)
	}
	if got := env.BotComments("demo", "hello", 1); len(got) != 0 {
		t.Errorf("the bot commented: %q", got)
	}
	env.CheckFaultsStruck()
}

// Dispatched beside a plugin that hangs until its timeout and one that
// panics, a merged pull request gets its milestone without waiting for
// them.
func TestMilestoneApplierBesideAStallingAndAPanickingPlugin(t *testing.T) {
	env := harness.StartWithoutPlugins(t, seed())
	merge(env, 1)
	cfg := &pluginconfig.Configuration{MilestoneApplier: map[string]map[string]string{"demo/hello": {"main": "v1.31"}}}
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello", DefaultBranch: "main"}, Action: "closed",
		PR: github.PullRequest{Number: 1, State: "closed", Merged: true, Author: "bob", BaseRef: "main"}}
	harness.DispatchBeside(t, milestoneapplier.New(env.GitHub), cfg, plugins.Delivery{GUID: "d1", EventType: "pull_request", Events: []any{ev}})
	if got := milestoneOf(t, env, 1); got != "v1.31" {
		t.Fatalf("milestone %q, want v1.31", got)
	}
}
