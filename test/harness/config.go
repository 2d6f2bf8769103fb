package harness

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/prowbot/prow/config"
)

// LoadConfig loads config.yaml text through the real loader; a failure
// ends the test.
func LoadConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	snap, _, err := config.Load(config.Options{ConfigPath: p})
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	return snap.Config
}
