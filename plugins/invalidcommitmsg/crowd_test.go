package invalidcommitmsg_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/invalidcommitmsg"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

// Beside a plugin that panics and one that hangs, invalidcommitmsg still
// does its work; when its own call times out half-way, the replay of the
// delivery finishes it with one comment, not two.
func TestInvalidCommitMsgBesideMisbehavingPluginsAndAfterATimeout(t *testing.T) {
	env := harness.StartWithoutPlugins(t, harness.NewSeed("bob").Seed())
	env.Commit("bob", "fix", "a.txt", "Fix it\n\nFixes #1")
	n := env.OpenPullFrom("bob", "demo", "hello", "fix", "main", "Fix it")
	crowd := harness.NewCrowd(t, invalidcommitmsg.New(harness.StallLabels{Client: env.GitHub, Stall: &harness.StallOnce{}}), pluginconfig.Configuration{}, 2*time.Second)
	ev := plugins.PullRequestEvent{GUID: "d1", Repo: plugins.Repo{Org: "demo", Name: "hello"}, Action: "opened",
		PR: github.PullRequest{Number: n, State: "open", Author: "bob", Title: "Fix it"}}
	env.DeliverFailing(crowd, invalidcommitmsg.Name, ev)
	env.Replay(crowd, invalidcommitmsg.Name, ev)
	if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, []string{invalidcommitmsg.Label}) {
		t.Fatalf("labels %v, want the label", got)
	}
	if got := notices(env, n); len(got) != 1 {
		t.Fatalf("%d notices, want 1", len(got))
	}
}
