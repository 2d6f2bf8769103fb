package branchcleaner_test

import (
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/branchcleaner"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Under injected faults the journal retries the delivery until the
// branch is gone: a retry of a deletion that did happen finds the branch
// missing and succeeds.
func TestBranchCleanerDeletesUnderFaults(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice", "bob").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{branchcleaner.New(c)} })
	var numbers []int
	for _, b := range []string{"one", "two", "three"} {
		numbers = append(numbers, env.OpenPull("bob", "demo", "hello", b, "main", b, map[string]string{b + ".txt": b + "\n"}))
	}
	env.InjectFaults(0.3, 19)
	for _, n := range numbers {
		// The merge is alice's call, which faults may refuse: retry it.
		env.MergeThroughFaults("alice", n)
	}
	env.Settle()
	env.Sandbox.SetFaults(sandbox.Faults{})
	for _, b := range []string{"one", "two", "three"} {
		if exists(t, env, b) {
			t.Errorf("branch %s is still there", b)
		}
	}
	env.CheckFaultsStruck()
}
