package cherrypickunapproved_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/cherrypickunapproved"
	"github.com/prowbot/prow/prow/github"
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
	env.ReplayThroughFaults(7, "cherry-pick-unapproved/0", func(ctx context.Context) error { return p.PullRequest(ctx, penv, ev) })
	if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, []string{cherrypickunapproved.Unapproved}) {
		t.Fatalf("labels %v, want the label", got)
	}
	if got := comments(env, n); len(got) != 1 {
		t.Fatalf("%d comments, want 1: %q", len(got), got)
	}
}
