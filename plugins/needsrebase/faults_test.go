package needsrebase_test

import (
	"testing"

	"github.com/prowbot/prow/plugins/needsrebase"
	"github.com/prowbot/prow/prow/github/sandbox"
)

// Under injected faults (a third of the bot's requests fail before
// GitHub applies them) the plugin's writes still happen once each.
func TestNeedsRebaseWritesOnceUnderFaults(t *testing.T) {
	env := start(t)
	for _, step := range []struct {
		name       string
		readme     string
		wantLabels []string
		notices    int
	}{
		{"a conflicting push to the base", "hello alice\n", []string{needsrebase.Label}, 1},
		{"the base's change reverted", "hello\n", []string{}, 0},
	} {
		// Each step builds on the one before: a failed step stops the rest.
		if !t.Run(step.name, func(t *testing.T) {
			// The admin API never fails; the bot's REST calls do.
			env.InjectFaults(0.3, 3, sandbox.Fault5xx)
			env.PushBranch("alice", "demo", "hello", "main", map[string]string{"README.md": step.readme})
			env.Sandbox.SetFaults(sandbox.Faults{})
			env.CheckLabelNotice(t, 1, needsrebase.IsNotice, step.wantLabels, step.notices)
		}) {
			t.FailNow()
		}
	}
	env.CheckFaultsStruck()
}
