package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runProw runs the root command in-process and returns its output and the
// exit code it would end with.
func runProw(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := newRootCommand()
	var out, errb bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetArgs(args)
	err := cmd.Execute()
	var exit exitError
	switch {
	case err == nil:
		code = 0
	case errors.As(err, &exit):
		code = exit.code
	default:
		errb.WriteString(err.Error())
		code = 1
	}
	return out.String(), errb.String(), code
}

func TestHelpListsSubcommands(t *testing.T) {
	out, _, code := runProw(t, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, sub := range []string{"checkconfig", "version"} {
		if !strings.Contains(out, sub) {
			t.Errorf("--help does not list %s:\n%s", sub, out)
		}
	}
}

func TestVersionPrintsOneLine(t *testing.T) {
	out, _, code := runProw(t, "version")
	if code != 0 || strings.Count(out, "\n") != 1 || strings.TrimSpace(out) == "" {
		t.Errorf("version printed %q (exit %d)", out, code)
	}
}

// testInfra returns the path of the subset of Kubernetes' production Prow
// configuration in test/testdata (see its README.md).
func testInfra(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "test", "testdata", "test-infra", "config"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func checkconfigArgs(root string) []string {
	return []string{"checkconfig",
		"--config-path", filepath.Join(root, "prow", "config.yaml"),
		"--job-config-path", filepath.Join(root, "jobs"),
		"--plugin-config", filepath.Join(root, "prow", "plugins.yaml")}
}

func TestCheckconfigAcceptsKubernetesTestInfra(t *testing.T) {
	out, stderr, code := runProw(t, checkconfigArgs(testInfra(t))...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	// The subset's counts (the whole configuration has 2261, 253, 1335
	// and 185).
	want := "173 presubmits, 51 postsubmits, 141 periodics across 30 repositories\n"
	if out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
}

// copyTree copies the test-infra configuration so a test can break it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func edit(t *testing.T, path, old, replacement string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, replacement, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheckconfigRejectsBrokenVariantsNamingTheFile(t *testing.T) {
	const presubmits = "jobs/kubernetes/test-infra/test-infra-presubmits.yaml"
	const periodics = "jobs/containerd/containerd/containerd-periodic-jobs.yaml"
	cases := []struct {
		name    string
		strict  bool
		breakIt func(t *testing.T, root string)
		file    string // the file the message must name
		want    string
	}{
		{
			name: "a duplicate job name",
			breakIt: func(t *testing.T, root string) {
				edit(t, filepath.Join(root, presubmits), "  - name: pull-test-infra-prow-checkconfig\n", "  - name: pull-test-infra-gubernator\n")
			},
			file: presubmits, want: `presubmit "pull-test-infra-gubernator" of kubernetes/test-infra is defined twice`,
		},
		{
			name: "a bad regex",
			breakIt: func(t *testing.T, root string) {
				edit(t, filepath.Join(root, presubmits), "run_if_changed: 'gubernator|", "run_if_changed: '(gubernator|")
			},
			file: presubmits + ":3:", want: "run_if_changed: error parsing regexp",
		},
		{
			name: "a bad cron",
			breakIt: func(t *testing.T, root string) {
				edit(t, filepath.Join(root, periodics), `cron: "0 6,18 * * *"`, `cron: "0 6,18 * *"`)
			},
			file: periodics + ":4:", want: `cron "0 6,18 * *"`,
		},
		{
			name:   "an unknown field under --strict",
			strict: true,
			breakIt: func(t *testing.T, root string) {
				edit(t, filepath.Join(root, presubmits), "    run_if_changed: 'gubernator|", "    run_if_chnged: x\n    run_if_changed: 'gubernator|")
			},
			file: presubmits + ":7:", want: `unknown field "run_if_chnged" in presubmits.kubernetes/test-infra[0]`,
		},
		{
			name: "a Slack report template that does not parse",
			breakIt: func(t *testing.T, root string) {
				edit(t, filepath.Join(root, "prow", "config.yaml"), "report_template: 'Job {{.Spec.Job}}", "report_template: 'Job {{.Spec.Job}")
			},
			file: "prow/config.yaml:205:", want: "slack_reporter_configs.*.report_template: template: report_template:1: bad character",
		},
		{
			name: "an unknown job state for Slack",
			breakIt: func(t *testing.T, root string) {
				edit(t, filepath.Join(root, "prow", "config.yaml"), "      - failure\n      - error\n    channel: test-failures", "      - failure\n      - erorr\n    channel: test-failures")
			},
			file: "prow/config.yaml:202:", want: `slack_reporter_configs.*.job_states_to_report[1]: unknown job state "erorr"`,
		},
		{
			name: "a YAML syntax error",
			breakIt: func(t *testing.T, root string) {
				edit(t, filepath.Join(root, periodics), "  cron: \"0 6,18 * * *\"", "  cron: [\"0 6,18 * * *\"")
			},
			file: periodics + ":", want: "invalid YAML",
		},
	}
	src := testInfra(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := copyTree(t, src)
			tc.breakIt(t, root)
			args := checkconfigArgs(root)
			if tc.strict {
				args = append(args, "--strict")
			}
			_, stderr, code := runProw(t, args...)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			var line string
			for _, l := range strings.Split(stderr, "\n") {
				if strings.Contains(l, tc.want) {
					line = l
					break
				}
			}
			if line == "" {
				t.Fatalf("no line contains %q; stderr:\n%s", tc.want, stderr)
			}
			if !strings.Contains(line, filepath.Join(root, tc.file)) {
				t.Errorf("the line does not name %s: %q", tc.file, line)
			}
		})
	}
}

func TestCheckconfigNeedsConfigPath(t *testing.T) {
	_, stderr, code := runProw(t, "checkconfig")
	if code != 1 || !strings.Contains(stderr, "--config-path is required") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
