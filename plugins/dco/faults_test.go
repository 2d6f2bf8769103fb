package dco_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/dco"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Under injected faults (a third of the bot's requests fail before
// GitHub applies them, and the journal retries the delivery) the label,
// status and comment still end up written once each.
func TestDCOWritesOnceUnderFaults(t *testing.T) {
	seed := harness.NewSeed("bob").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{dco.New(c)} })
	env.Commit("bob", "fix", "a.txt", "Add a"+signed)
	n := env.OpenPullFrom("bob", "demo", "hello", "fix", "main", "Change")
	// The admin API never fails; the bot's REST calls do.
	env.InjectFaults(0.3, 11, sandbox.Fault5xx)
	env.Push("demo", "hello", n, map[string]string{"b.txt": "b\n"})
	env.Push("demo", "hello", n, map[string]string{"c.txt": "c\n"})
	env.Sandbox.SetFaults(sandbox.Faults{})
	s := observe(t, env, n)
	if !reflect.DeepEqual(s.labels, []string{dco.LabelNo}) || s.status != "failure" || len(s.notices) != 1 {
		t.Fatalf("labels %v, status %q, %d notices; want the no label, failure and one notice", s.labels, s.status, len(s.notices))
	}
	env.CheckFaultsStruck()
}
