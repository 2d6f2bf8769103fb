package configupdater_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/configupdater"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

// Under injected faults (5xx answers and dropped connections) the journal
// retries the merge's delivery until the plugin gets through: the file is
// written and the summary posted once.
func TestConfigUpdaterUnderFaultsCommentsOnce(t *testing.T) {
	dir := t.TempDir()
	maps := configupdater.FileMaps{ConfigPath: filepath.Join(dir, "config.yaml"), PluginConfigPath: filepath.Join(dir, "plugins.yaml")}
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{configupdater.New(c, maps)} })
	n := env.OpenPull("bob", "demo", "hello", "change", "main", "Change", map[string]string{"prow/config.yaml": "pod_namespace: ci\n"})

	env.InjectFaults(0.3, 7)
	merged := false
	for try := 0; try < 20 && !merged; try++ {
		req, err := http.NewRequest(http.MethodPut, env.URL+fmt.Sprintf("/api/v3/repos/demo/hello/pulls/%d/merge", n), strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "token alice")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
		// 405: merged by an earlier try whose answer was lost.
		merged = resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusMethodNotAllowed
	}
	if !merged {
		t.Fatal("could not merge")
	}
	env.Settle()
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got, err := os.ReadFile(maps.ConfigPath); err != nil || string(got) != "pod_namespace: ci\n" {
		t.Fatalf("config.yaml: %q, %v", got, err)
	}
	if cs := botComments(env, n); len(cs) != 1 {
		t.Fatalf("%d comments of the bot's, want 1: %q", len(cs), cs)
	}
	if fc := env.Sandbox.FaultCounts(); fc[sandbox.Fault5xx]+fc[sandbox.FaultDrop] == 0 {
		t.Error("no fault was injected")
	}
}
