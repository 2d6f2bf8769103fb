package milestoneapplier

import (
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

func TestWants(t *testing.T) {
	cases := []struct {
		name                string
		configured, current string
		intoDefault         bool
		want                bool
	}{
		{"a merge into a configured release branch gets the milestone", "v1.30", "", false, true},
		{"a merge into the default branch without a milestone gets it", "v1.31", "", true, true},
		{"the default branch keeps a milestone someone chose", "v1.31", "v1.32", true, false},
		{"a release branch replaces another milestone", "v1.30", "v1.31", false, true},
		{"a pull request in the milestone already is left alone", "v1.30", "v1.30", false, false},
		{"an unconfigured branch is left alone", "", "", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Wants(tc.configured, tc.current, tc.intoDefault); got != tc.want {
				t.Errorf("Wants(%q, %q, %v) = %v, want %v", tc.configured, tc.current, tc.intoDefault, got, tc.want)
			}
		})
	}
}

func TestConfigured(t *testing.T) {
	cfg := &pluginconfig.Configuration{MilestoneApplier: map[string]map[string]string{
		"demo/hello": {"main": "v1.31", "release-1.30": "v1.30"},
	}}
	cases := []struct {
		name, repo, branch, want string
		ok                       bool
	}{
		{"the default branch's entry", "hello", "main", "v1.31", true},
		{"a release branch's entry", "hello", "release-1.30", "v1.30", true},
		{"a branch without an entry", "hello", "feature", "", false},
		{"a repository without entries", "other", "main", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Configured(cfg, "demo", tc.repo, tc.branch)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Configured = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestFind(t *testing.T) {
	ms := []github.Milestone{{Number: 3, Title: "v1.30"}, {Number: 4, Title: "v1.31"}}
	if n, ok := Find(ms, "v1.31"); !ok || n != 4 {
		t.Errorf("Find(v1.31) = %d, %v", n, ok)
	}
	if _, ok := Find(ms, "v1.3"); ok {
		t.Error("titles must match whole")
	}
}
