package pluginconfig

import (
	"fmt"
	"sort"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

// invalidCommitChecks are the checks invalid_commit_msg can name.
var invalidCommitChecks = []string{"fixupPrefix", "issueClosingKeywords"}

// validateRepoPlugins checks the settings of invalidcommitmsg and
// config-updater.
func (c *Configuration) validateRepoPlugins() []error {
	var errs []error
	for i, m := range c.InvalidCommitMsg {
		for j, check := range m.Checks {
			known := false
			for _, k := range invalidCommitChecks {
				known = known || strings.EqualFold(k, check.Name)
			}
			if !known {
				errs = append(errs, fmt.Errorf("invalid_commit_msg[%d].checks[%d]: unknown check %q (use %s)", i, j, check.Name, strings.Join(invalidCommitChecks, " or ")))
			}
		}
	}
	keys := mapkeys.Sorted(c.ConfigUpdater.Maps)
	for _, k := range keys {
		spec := c.ConfigUpdater.Maps[k]
		if (spec.Name == "") == (len(spec.PartitionedNames) == 0) {
			errs = append(errs, fmt.Errorf("config_updater.maps[%q]: set one of name and partitioned_names", k))
		}
		for _, g := range spec.ClusterGroups {
			if _, ok := c.ConfigUpdater.ClusterGroups[g]; !ok {
				errs = append(errs, fmt.Errorf("config_updater.maps[%q].cluster_groups: no cluster group %q in config_updater.cluster_groups", k, g))
			}
		}
	}
	return errs
}

// Unsupported lists the settings present that are read and not acted
// on, one message each (warnings of checkconfig, errors with --strict).
func (c *Configuration) Unsupported() []string {
	var out []string
	for k, spec := range c.ConfigUpdater.Maps {
		if len(spec.PartitionedNames) > 0 {
			out = append(out, fmt.Sprintf("config_updater.maps[%q].partitioned_names is accepted but not implemented, so this entry updates no ConfigMap", k))
		}
	}
	sort.Strings(out)
	return out
}
