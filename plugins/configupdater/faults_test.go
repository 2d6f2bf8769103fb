package configupdater_test

import (
	"os"
	"path/filepath"
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
	env.MergeThroughFaults("alice", n)
	env.Settle()
	env.Sandbox.SetFaults(sandbox.Faults{})
	if got, err := os.ReadFile(maps.ConfigPath); err != nil || string(got) != "pod_namespace: ci\n" {
		t.Fatalf("config.yaml: %q, %v", got, err)
	}
	if cs := botComments(env, n); len(cs) != 1 {
		t.Fatalf("%d comments of the bot's, want 1: %q", len(cs), cs)
	}
	env.CheckFaultsStruck()
}
