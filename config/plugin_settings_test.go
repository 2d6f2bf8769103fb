package config

import (
	"strings"
	"testing"
)

// A repo_milestone entry naming its team only by the deprecated numeric
// id is a warning (an error with --strict); one naming the team is not.
func TestRepoMilestoneByIDAloneIsWarned(t *testing.T) {
	cases := []struct {
		name, plugins string
		warnings      int
	}{
		{"a team by slug warns nothing", "repo_milestone:\n  '':\n    maintainers_team: release\n", 0},
		{"both id and slug warn nothing", "repo_milestone:\n  org/repo:\n    maintainers_id: 12\n    maintainers_team: release\n", 0},
		{"an id alone is warned", "repo_milestone:\n  org/repo:\n    maintainers_id: 12\n", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeFile(t, dir, "config.yaml", "pod_namespace: test-pods\n")
			plugins := writeFile(t, dir, "plugins.yaml", tc.plugins)
			_, warnings, err := Load(Options{ConfigPath: cfg, PluginConfigPath: plugins})
			if err != nil {
				t.Fatal(err)
			}
			if len(warnings) != tc.warnings {
				t.Fatalf("warnings %v, want %d", warnings, tc.warnings)
			}
			if tc.warnings > 0 && !strings.Contains(warnings[0].String(), `repo_milestone["org/repo"].maintainers_id is accepted but not implemented`) {
				t.Errorf("warning %q", warnings[0].String())
			}
			if _, _, err := Load(Options{ConfigPath: cfg, PluginConfigPath: plugins, Strict: true}); (err != nil) != (tc.warnings > 0) {
				t.Errorf("under --strict: err %v", err)
			}
		})
	}
}
