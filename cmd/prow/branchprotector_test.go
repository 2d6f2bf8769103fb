package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/test/seed"
)

// TestBranchprotectorCommand runs `prow branchprotector` against the
// sandbox: the plan first, then --confirm, then a run with nothing left.
func TestBranchprotectorCommand(t *testing.T) {
	s := seed.New().User("admin", "admin-token").Seed()
	s.Orgs[0].Admins = []string{"admin"}
	_, ts := seed.Serve(t, s)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := write("config.yaml", "branch-protection:\n  orgs:\n    demo:\n      repos:\n        hello:\n          protect: true\n")
	jobs := write("jobs.yaml", "presubmits:\n  demo/hello:\n  - name: unit\n    always_run: true\n    spec: {containers: [{image: golang}]}\n")
	token := write("token", "admin-token")
	run := func(extra ...string) string {
		cmd := newBranchprotectorCommand()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs(append([]string{"--config-path", cfg, "--job-config-path", jobs, "--github-endpoint", ts.URL,
			"--github-token-path", token, "--log-level", "error"}, extra...))
		if err := cmd.Execute(); err != nil {
			t.Fatalf("branchprotector %v: %v\n%s", extra, err, out.String())
		}
		return out.String()
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
