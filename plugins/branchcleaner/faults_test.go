package branchcleaner_test

import (
	"fmt"
	"net/http"
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
		mergeRetrying(t, env, n)
	}
	env.Settle()
	env.Sandbox.SetFaults(sandbox.Faults{})
	for _, b := range []string{"one", "two", "three"} {
		if exists(t, env, b) {
			t.Errorf("branch %s is still there", b)
		}
	}
	if fc := env.Sandbox.FaultCounts(); fc[sandbox.Fault5xx]+fc[sandbox.FaultDrop] == 0 {
		t.Error("no fault was injected")
	}
}

func mergeRetrying(t *testing.T, env *harness.Env, n int) {
	t.Helper()
	for try := 0; try < 20; try++ {
		req, err := http.NewRequest(http.MethodPut, env.URL+fmt.Sprintf("/api/v3/repos/demo/hello/pulls/%d/merge", n), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "token alice")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusMethodNotAllowed {
			return // merged now, or by an earlier try whose answer was lost
		}
	}
	t.Fatalf("could not merge #%d", n)
}
