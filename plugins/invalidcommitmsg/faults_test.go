package invalidcommitmsg_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/invalidcommitmsg"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Under injected faults (a third of the bot's requests fail before
// GitHub applies them, and the journal retries the delivery) the label
// and the comment are written once each.
func TestInvalidCommitMsgWritesOnceUnderFaults(t *testing.T) {
	seed := harness.NewSeed("bob").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{invalidcommitmsg.New(c)} })
	env.Commit("bob", "fix", "a.txt", "Fix it")
	n := env.OpenPullFrom("bob", "demo", "hello", "fix", "main", "Fix it")
	// The admin API never fails; the bot's REST calls do.
	env.InjectFaults(0.3, 13, sandbox.Fault5xx)
	env.Commit("bob", "fix", "b.txt", "Fix it, thanks @alice")
	env.Commit("bob", "fix", "c.txt", "Closes #4")
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, []string{invalidcommitmsg.Label}) {
		t.Fatalf("labels %v, want the label", got)
	}
	if got := notices(env, n); len(got) != 1 {
		t.Fatalf("%d notices, want 1", len(got))
	}
	env.CheckFaultsStruck()
}
