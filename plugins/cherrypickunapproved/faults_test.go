package cherrypickunapproved_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/cherrypickunapproved"
	"github.com/prowbot/prow/prow/effect"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
	"github.com/prowbot/prow/test/testlog"
)

// A delivery that fails half-way under injected faults (5xx answers and
// dropped connections) and is replayed until it succeeds, then once more
// as if the process died before journaling the success, leaves one
// label and one comment.
func TestCherryPickUnapprovedReplayedUnderFaultsWritesOnce(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Seed()
	env := harness.Start(t, seed, "plugins: {}\n", func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{cherrypickunapproved.New(c)} })
	env.PushBranch("alice", "demo", "hello", "release-1.0", map[string]string{"VERSION": "1.0\n"})
	n := env.OpenPull("bob", "demo", "hello", "pick", "release-1.0", "Pick", map[string]string{"b.txt": "b\n"})

	p := cherrypickunapproved.New(env.GitHub)
	cfg := &pluginconfig.Configuration{CherryPickUnapproved: pluginconfig.CherryPickUnapproved{Comment: "Cherry-picks need the release team's approval."}}
	penv := plugins.Env{Log: testlog.Discard(), PluginConfig: func() *pluginconfig.Configuration { return cfg }, BotLogin: harness.Bot}
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "opened",
		PR: github.PullRequest{Number: n, State: "open", Author: "bob", BaseRef: "release-1.0"}}
	faultSeed := uint64(7)
	env.Sandbox.SetFaults(sandbox.Faults{Rate: 0.3, Kinds: []string{sandbox.Fault5xx, sandbox.FaultDrop}, Seed: &faultSeed})
	var err error
	for run := 0; run == 0 || err != nil; run++ {
		if run == 20 {
			t.Fatalf("still failing after %d runs: %v", run, err)
		}
		ctx := effect.With(context.Background(), &effect.Scope{Delivery: "d1", Call: "cherry-pick-unapproved/0", Replay: run > 0})
		err = p.PullRequest(ctx, penv, ev)
	}
	ctx := effect.With(context.Background(), &effect.Scope{Delivery: "d1", Call: "cherry-pick-unapproved/0", Replay: true})
	if err := p.PullRequest(ctx, penv, ev); err != nil {
		t.Fatal(err)
	}
	env.Sandbox.SetFaults(sandbox.Faults{})
	if fc := env.Sandbox.FaultCounts(); fc[sandbox.Fault5xx]+fc[sandbox.FaultDrop] == 0 {
		t.Fatal("no fault struck: the test shows nothing")
	}
	if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, []string{cherrypickunapproved.Unapproved}) {
		t.Fatalf("labels %v, want the label", got)
	}
	if got := comments(env, n); len(got) != 1 {
		t.Fatalf("%d comments, want 1: %q", len(got), got)
	}
}
