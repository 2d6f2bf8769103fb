package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckconfigReportAs(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		code       int
		inStderr   string // with the config's path in place of CONFIG
	}{
		{"an unknown value", "github_reporter:\n  job_types_to_report: [presubmit]\n  report_as: check-run\n", 1,
			`CONFIG:3: github_reporter.report_as: "check-run" is not one of statuses, check-runs`},
		{"check runs", "github_reporter:\n  report_as: check-runs\n", 0, ""},
		{"statuses", "github_reporter:\n  report_as: statuses\n", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := runProw(t, "checkconfig", "--config-path", path)
			if want := strings.ReplaceAll(tc.inStderr, "CONFIG", path); code != tc.code || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, want)
			}
		})
	}
}

// TestCheckconfigTakesCheckRunsBesideTide: tide reads check runs, so
// reporting jobs as check runs beside tide queries is no problem.
func TestCheckconfigTakesCheckRunsBesideTide(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	yaml := "github_reporter:\n  report_as: check-runs\ntide:\n  queries:\n  - orgs: [demo]\n" +
		"presubmits:\n  demo/hello:\n  - name: unit\n    always_run: true\n    spec: {containers: [{image: golang}]}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runProw(t, "checkconfig", "--config-path", path, "--strict"); code != 0 || strings.Contains(stderr, "report_as") {
		t.Errorf("--strict: exit %d, stderr:\n%s\nwant exit 0 and nothing about report_as", code, stderr)
	}
}
