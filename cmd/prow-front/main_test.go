package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/prowbot/prow/cmd/internal/dispatch"
)

// buildFront builds bin/prow into dir.
func buildFront(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "prow")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// The front must stay lean: none of the components' heavy dependencies
// may be linked (they cost checkconfig its start-up time and memory).
func TestFrontLinksNoComponentDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	banned := []string{
		"k8s.io/client-go/", "sigs.k8s.io/controller-runtime", "google.golang.org/grpc",
		"cloud.google.com/go/", "modernc.org/sqlite", "github.com/google/go-github/",
		"github.com/prometheus/client_golang", "github.com/prowbot/prow/plugins/catalog\n",
		"github.com/prowbot/prow/tide\n", "github.com/prowbot/prow/jobs", "github.com/prowbot/prow/hook",
		"github.com/prowbot/prow/deck",
	}
	deps := string(out)
	for _, b := range banned {
		if strings.Contains(deps, b) {
			t.Errorf("cmd/prow-front links %s", strings.TrimSpace(b))
		}
	}
}

// A component subcommand replaces the front by the full binary: same
// PID, the arguments as given, the full binary's output and exit code.
func TestFrontHandsComponentsToTheFullBinary(t *testing.T) {
	dir := t.TempDir()
	front := buildFront(t, dir)
	script := "#!/bin/sh\necho \"pid=$$\"\necho \"argv0=$0\"\nfor a in \"$@\"; do echo \"arg=$a\"; done\nexit 7\n"
	if err := os.WriteFile(filepath.Join(dir, dispatch.FullBinary), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"a component with flags", []string{"hook", "--port", "8888", "--dry-run=false"}, []string{"hook", "--port", "8888", "--dry-run=false"}},
		{"help on a component", []string{"hook", "--help"}, []string{"hook", "--help"}},
		{"help command on a component", []string{"help", "deck"}, []string{"help", "deck"}},
		{"completion of a component's flags", []string{"__complete", "tide", "--"}, []string{"__complete", "tide", "--"}},
		{"checkconfig looking names up on GitHub", []string{"checkconfig", "--config-path", "c.yaml", "--github-endpoint", "http://127.0.0.1:1", "--github-token-path", "t"},
			[]string{"checkconfig", "--config-path", "c.yaml", "--github-endpoint", "http://127.0.0.1:1", "--github-token-path", "t"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(front, tc.args...)
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 7 {
				t.Fatalf("run: %v, want exit status 7; stdout:\n%s", err, stdout.String())
			}
			var args []string
			for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
				switch {
				case strings.HasPrefix(l, "pid="):
					if l != "pid="+strconv.Itoa(cmd.Process.Pid) {
						t.Errorf("the full binary ran as %s, not in the front's process %d", l, cmd.Process.Pid)
					}
				case strings.HasPrefix(l, "argv0="):
					if l != "argv0="+filepath.Join(dir, dispatch.FullBinary) {
						t.Errorf("%s, want the full binary's path", l)
					}
				case strings.HasPrefix(l, "arg="):
					args = append(args, strings.TrimPrefix(l, "arg="))
				}
			}
			if !slices.Equal(args, tc.want) {
				t.Errorf("the full binary got %q, want %q", args, tc.want)
			}
		})
	}
}

func TestFrontRunsItsOwnCommandsWithoutTheFullBinary(t *testing.T) {
	dir := t.TempDir()
	front := buildFront(t, dir)
	cases := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"version", []string{"version"}, 0, "dev", ""},
		{"help lists the components too", []string{"--help"}, 0, "checkconfig", ""},
		{"completion", []string{"completion", "bash"}, 0, "bash completion", ""},
		{"completion of the subcommand names", []string{"__complete", "ho"}, 0, "hook", ""},
		{"checkconfig without --config-path", []string{"checkconfig"}, 1, "", "--config-path is required"},
		{"a component, with the full binary missing", []string{"hook"}, 1, "", dispatch.FullBinary + " is not installed beside " + front},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(front, tc.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || !strings.Contains(stdout.String(), tc.inStdout) || !strings.Contains(stderr.String(), tc.inStderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, %q in stdout, %q in stderr",
					code, stdout.String(), stderr.String(), tc.code, tc.inStdout, tc.inStderr)
			}
		})
	}
	out, _ := exec.Command(front, "--help").Output()
	for _, c := range dispatch.Components {
		if !strings.Contains(string(out), c.Name) {
			t.Errorf("--help does not list %s", c.Name)
		}
	}
}
