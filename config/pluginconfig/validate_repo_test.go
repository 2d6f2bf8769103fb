package pluginconfig

import (
	"strings"
	"testing"
)

func TestValidateRepoPlugins(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Configuration
		want []string // substrings of the errors, in order
	}{
		{"known checks in any case pass", Configuration{InvalidCommitMsg: []InvalidCommitMsg{{Checks: []InvalidCommitCheck{{Name: "fixupPrefix"}, {Name: "IssueClosingKeywords"}}}}}, nil},
		{"an unknown check is an error", Configuration{InvalidCommitMsg: []InvalidCommitMsg{{Checks: []InvalidCommitCheck{{Name: "atMentions"}}}}},
			[]string{`invalid_commit_msg[0].checks[0]: unknown check "atMentions"`}},
		{"a map entry needs a name", Configuration{ConfigUpdater: ConfigUpdater{Maps: map[string]ConfigMapSpec{"a.yaml": {}}}},
			[]string{`config_updater.maps["a.yaml"]: set one of name and partitioned_names`}},
		{"not both", Configuration{ConfigUpdater: ConfigUpdater{Maps: map[string]ConfigMapSpec{"a.yaml": {Name: "a", PartitionedNames: []string{"b"}}}}},
			[]string{"set one of"}},
		{"cluster groups must exist", Configuration{ConfigUpdater: ConfigUpdater{Maps: map[string]ConfigMapSpec{"a.yaml": {Name: "a", ClusterGroups: []string{"nope"}}}}},
			[]string{`no cluster group "nope"`}},
		{"a good map", Configuration{ConfigUpdater: ConfigUpdater{Maps: map[string]ConfigMapSpec{"a.yaml": {Name: "a", ClusterGroups: []string{"g"}}},
			ClusterGroups: map[string]ClusterGroup{"g": {Clusters: []string{"default"}}}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.c.validateRepoPlugins()
			if len(errs) != len(tc.want) {
				t.Fatalf("errors %v, want %d", errs, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("error %q lacks %q", errs[i], w)
				}
			}
		})
	}
}

func TestUnsupportedNamesPartitionedNames(t *testing.T) {
	c := Configuration{ConfigUpdater: ConfigUpdater{Maps: map[string]ConfigMapSpec{"a.yaml": {PartitionedNames: []string{"x", "y"}}, "b.yaml": {Name: "b"}}}}
	got := c.Unsupported()
	if len(got) != 1 || !strings.Contains(got[0], `config_updater.maps["a.yaml"].partitioned_names is accepted but not implemented`) {
		t.Errorf("Unsupported = %q", got)
	}
}

func TestTriggerGitHubWorkflowsIsSupported(t *testing.T) {
	c := Configuration{Triggers: []Trigger{{Repos: []string{"a"}}, {Repos: []string{"b"}, TriggerGitHubWorkflows: true}}}
	if got := c.Unsupported(); len(got) != 0 {
		t.Errorf("Unsupported = %q, want nothing: trigger_github_workflows is implemented", got)
	}
}
