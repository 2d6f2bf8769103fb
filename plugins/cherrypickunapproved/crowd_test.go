package cherrypickunapproved_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/cherrypickunapproved"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics and one that hangs, cherry-pick-unapproved
// still does its work; when its own call times out half-way, the replay
// of the delivery finishes it with one comment, not two.
func TestCherryPickUnapprovedBesideMisbehavingPluginsAndAfterATimeout(t *testing.T) {
	env := harness.StartWithoutPlugins(t, harness.NewSeed("alice", "bob").Seed())
	env.PushBranch("alice", "demo", "hello", "release-1.0", map[string]string{"VERSION": "1.0\n"})
	n := env.OpenPull("bob", "demo", "hello", "pick", "release-1.0", "Pick", map[string]string{"b.txt": "b\n"})
	cfg := pluginconfig.Configuration{CherryPickUnapproved: pluginconfig.CherryPickUnapproved{Comment: "Cherry-picks need the release team's approval."}}
	crowd := harness.NewCrowd(t, cherrypickunapproved.New(harness.StallLabels{Client: env.GitHub, Stall: &harness.StallOnce{}}), cfg, 2*time.Second)
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "opened",
		PR: github.PullRequest{Number: n, State: "open", Author: "bob", BaseRef: "release-1.0"}}
	env.DeliverFailing(crowd, cherrypickunapproved.Name, ev)
	env.Replay(crowd, cherrypickunapproved.Name, ev)
	if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, []string{cherrypickunapproved.Unapproved}) {
		t.Fatalf("labels %v, want the label", got)
	}
	if got := comments(env, n); len(got) != 1 {
		t.Fatalf("%d comments, want 1: %q", len(got), got)
	}
}
