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

func TestCheckconfigWarnsOfCheckRunsBesideTide(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	yaml := "github_reporter:\n  report_as: check-runs\ntide:\n  queries:\n  - orgs: [demo]\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	want := "warning: " + path + ":2: github_reporter.report_as: check-runs: tide reads commit statuses only"
	if _, stderr, code := runProw(t, "checkconfig", "--config-path", path); code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 0 and %q", code, stderr, want)
	}
	if _, stderr, code := runProw(t, "checkconfig", "--config-path", path, "--strict"); code != 1 || !strings.Contains(stderr, path+":2:") {
		t.Errorf("--strict: exit %d, stderr:\n%s", code, stderr)
	}
}
