package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prowbot/prow/cmd/internal/dispatch"
)

// bin/prow (cmd/prow-front) lists and hands over exactly the subcommands
// this binary has, besides those it runs itself.
func TestFrontHandsOverEveryComponent(t *testing.T) {
	inFront := map[string]bool{"version": true, "checkconfig": true}
	want := map[string]string{}
	for _, c := range newRootCommand().Commands() {
		if !inFront[c.Name()] {
			want[c.Name()] = c.Short
		}
	}
	got := map[string]string{}
	for _, c := range dispatch.Components {
		got[c.Name] = c.Short
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		t.Run(name, func(t *testing.T) {
			if got[name] != want[name] {
				t.Errorf("dispatch.Components has %s as %q, want %q", name, got[name], want[name])
			}
		})
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("dispatch.Components has %s, which this binary lacks", name)
		}
	}
}

// Through the installed pair: bin/prow runs a component in the full
// binary and ends with its exit code (here entrypoint's, which is the
// test command's), and checks a configuration by itself.
func TestInstalledProwRunsComponentsThroughTheFullBinary(t *testing.T) {
	bin := buildProw(t)
	dir := t.TempDir()
	opts := fmt.Sprintf(`{"args":["sh","-c","echo ran; exit 3"],"process_log":%q,"marker_file":%q}`,
		filepath.Join(dir, "log"), filepath.Join(dir, "marker"))
	cmd := exec.Command(bin, "entrypoint")
	cmd.Env = append(os.Environ(), "ENTRYPOINT_OPTIONS="+opts)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || !strings.Contains(string(out), "ran") {
		t.Errorf("prow entrypoint: %v, stdout %q; want exit status 3 and the command's output", err, out)
	}

	out, err = exec.Command(bin, checkconfigArgs(testInfra(t))...).Output()
	if err != nil || !strings.HasPrefix(string(out), "173 presubmits") {
		t.Errorf("prow checkconfig: %v, stdout %q", err, out)
	}
}
