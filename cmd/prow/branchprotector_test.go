package main

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/test/seed"
)

// TestBranchprotectorCommand runs `prow branchprotector` against the
// sandbox: the plan first, then --confirm, then a run with nothing left.
func TestBranchprotectorCommand(t *testing.T) {
	w := newAdminWorld(t, seed.New().User("admin", "admin-token").Seed())
	cfg := w.write("config.yaml", "branch-protection:\n  orgs:\n    demo:\n      repos:\n        hello:\n          protect: true\n")
	jobs := w.write("jobs.yaml", "presubmits:\n  demo/hello:\n  - name: unit\n    always_run: true\n    spec: {containers: [{image: golang}]}\n")
	run := func(extra ...string) string {
		out, err := runCommand(newBranchprotectorCommand(), append([]string{"--config-path", cfg, "--job-config-path", jobs, "--github-endpoint", w.url,
			"--github-token-path", w.token, "--log-level", "error"}, extra...)...)
		if err != nil {
			t.Fatalf("branchprotector %v: %v\n%s", extra, err, out)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		args  []string
		wants []string
	}{
		{"the plan names the branch and its new rule", nil, []string{"demo/hello:main\n  protect\n  required contexts: [] -> [unit]", "dry run"}},
		{"the plan again, since nothing was applied", nil, []string{"1 branches to change"}},
		{"--confirm applies it", []string{"--confirm"}, []string{"1 branches changed"}},
		{"afterwards nothing is left to do", nil, []string{"0 branches to change, 1 up to date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := run(tc.args...)
			for _, w := range tc.wants {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
