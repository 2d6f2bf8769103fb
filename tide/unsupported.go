package tide

import (
	"github.com/prowbot/prow/config"
)

// Unsupported names the tide settings the configuration sets that tide
// accepts but does not act on yet (config.Tide.Unsupported).
func Unsupported(t *config.Tide) []string { return t.Unsupported() }
