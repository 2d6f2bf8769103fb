package checkconfig

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const centralConfig = `in_repo_config:
  enabled: {demo/hello: true}
  allowed_clusters: {"*": [default]}
presubmits:
  demo/hello:
  - name: pull-unit
    spec: {containers: [{image: golang}]}
`

type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// check runs `checkconfig` with args and returns stdout, stderr and the
// exit code.
func check(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := NewCommand(Deps{Exit: func(code int) error { return exitCode(code) }})
	var stdout, stderr bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SetArgs(args)
	err := cmd.Execute()
	var code exitCode
	switch {
	case errors.As(err, &code):
	case err != nil:
		t.Fatalf("checkconfig %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), int(code)
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckconfigChecksARepositorysProwYAML(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"config.yaml": centralConfig})
	cases := []struct {
		name     string
		repo     string
		files    map[string]string
		pathArg  string // relative to the checkout; "" is the checkout
		wantCode int
		wantErr  string // in stderr, with the checkout's path before it
	}{
		{name: "a valid .prow.yaml", repo: "demo/hello",
			files: map[string]string{".prow.yaml": "presubmits:\n- name: pull-lint\n  spec: {containers: [{image: x}]}\n"}},
		{name: "the path may name the file itself", repo: "demo/hello", pathArg: ".prow.yaml",
			files: map[string]string{".prow.yaml": "presubmits:\n- name: pull-lint\n  spec: {containers: [{image: x}]}\n"}},
		{name: "a job that redefines a central one, with its file and line", repo: "demo/hello", wantCode: 1,
			files:   map[string]string{".prow.yaml": "presubmits:\n- name: pull-lint\n  spec: {containers: [{image: x}]}\n- name: pull-unit\n  spec: {containers: [{image: x}]}\n"},
			wantErr: `.prow.yaml:4: presubmit "pull-unit" is already defined in the central configuration`},
		{name: "a disallowed cluster in .prow/", repo: "demo/hello", wantCode: 1,
			files:   map[string]string{".prow/jobs.yaml": "presubmits:\n- name: pull-lint\n  cluster: gpu\n  spec: {containers: [{image: x}]}\n"},
			wantErr: `.prow/jobs.yaml:2: presubmit "pull-lint": cluster "gpu" is not allowed`},
		{name: "a syntax error", repo: "demo/hello", wantCode: 1,
			files:   map[string]string{".prow.yaml": "presubmits:\n  - name: [\n"},
			wantErr: ".prow.yaml:"},
		{name: "a repository without in-repo config enabled is warned about", repo: "demo/other",
			files:   map[string]string{".prow.yaml": "presubmits: []\n"},
			wantErr: "warning: in_repo_config is not enabled for demo/other"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkout := filepath.Join(dir, fmt.Sprint("checkout", i))
			writeFiles(t, checkout, tc.files)
			path := filepath.Join(checkout, tc.pathArg)
			_, stderr, code := check(t, "--config-path", filepath.Join(dir, "config.yaml"), "--prow-yaml-repo-name", tc.repo, "--prow-yaml-repo-path", path)
			if code != tc.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tc.wantCode, stderr)
			}
			if tc.wantErr != "" && !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr does not say %q:\n%s", tc.wantErr, stderr)
			}
			if tc.wantCode != 0 && !strings.Contains(stderr, checkout+string(filepath.Separator)) {
				t.Errorf("problems should name the file in the checkout %s:\n%s", checkout, stderr)
			}
		})
	}
}

func TestCheckconfigProwYAMLFlags(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"config.yaml": centralConfig})
	cmd := NewCommand(Deps{Exit: func(code int) error { return exitCode(code) }})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{"--config-path", filepath.Join(dir, "config.yaml"), "--prow-yaml-repo-path", dir})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "--prow-yaml-repo-name") {
		t.Errorf("a path without a repository name should be refused, got %v", err)
	}
}
