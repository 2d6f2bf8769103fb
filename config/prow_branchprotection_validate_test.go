package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBranchProtectionValidation(t *testing.T) {
	jobs := "presubmits:\n  demo/hello:\n  - name: silent\n    always_run: true\n    skip_report: true\n    spec: {containers: [{image: alpine}]}\n"
	for _, tc := range []struct {
		name, yaml string
		want       string // "" for no problem; else the message and ":<line>" it is at
		line       string
	}{
		{"a valid block passes", "branch-protection:\n  orgs:\n    demo:\n      protect: true\n      required_status_checks: {contexts: [cla]}\n", "", ""},
		{"a bad exclude regex names its place", "branch-protection:\n  orgs:\n    demo:\n      exclude: ['(']\n",
			"branch-protection.orgs.demo.exclude.0", ":4:"},
		{"a review count GitHub refuses", "branch-protection:\n  required_pull_request_reviews:\n    required_approving_review_count: 9\n",
			"required_approving_review_count: 9 is not between 0 and 6", ":3:"},
		{"a context listed twice", "branch-protection:\n  required_status_checks:\n    contexts: [a, a]\n", `context "a" is listed twice`, ":3:"},
		{"a required context no job ever reports", "branch-protection:\n  orgs:\n    demo:\n      repos:\n        hello:\n          required_status_checks:\n            contexts:\n            - cla\n            - silent\n",
			`context "silent" is the context of presubmit silent, which never reports it`, ":9:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg, jc := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "jobs.yaml")
			if err := os.WriteFile(cfg, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(jc, []byte(jobs), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load(Options{ConfigPath: cfg, JobConfigPath: jc})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Load: %v", err)
			case tc.want == "":
			case err == nil:
				t.Errorf("Load passed, want %q", tc.want)
			case !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "config.yaml"+tc.line):
				t.Errorf("Load: %v\nwant %q at config.yaml%s", err, tc.want, tc.line)
			}
		})
	}
}
