package trigger

import (
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/test/harness"
)

// loadConfig loads config.yaml text through the real loader.
func loadConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	return harness.LoadConfig(t, yaml)
}
