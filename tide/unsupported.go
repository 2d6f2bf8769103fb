package tide

import (
	"sort"

	"github.com/prowbot/prow/config"
)

// Unsupported names the tide settings the configuration sets that tide
// accepts but does not act on yet, so that checkconfig and the start-up
// log can say so.
func Unsupported(t *config.Tide) []string {
	var out []string
	add := func(set bool, key string) {
		if set {
			out = append(out, key)
		}
	}
	add(len(t.PrioritizeExistingBatchesMap) > 0, "tide.prioritize_existing_batches")
	add(len(t.Gerrit) > 0, "tide.gerrit")
	sort.Strings(out)
	return out
}
