package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckconfigLenses: deck.spyglass.lenses is implemented, so a lens
// deck has warns nothing; one it skips (Prow's restcoverage, a remote
// lens) is a warning, an error with --strict.
func TestCheckconfigLenses(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		args       []string
		code       int
		inStderr   string
		notStderr  string
	}{
		{"lenses deck has", "deck:\n  spyglass:\n    lenses:\n    - lens: {name: junit}\n      required_files: ['^artifacts/junit.*\\.xml$']\n    - lens: {name: html}\n", nil, 0, "", "deck.spyglass.lenses"},
		{"a lens deck does not have", "deck:\n  spyglass:\n    lenses:\n    - lens: {name: junit}\n    - lens: {name: restcoverage}\n", nil, 0,
			`warning: CONFIG: deck.spyglass.lenses[1] (lens "restcoverage") is accepted but not implemented`, ""},
		{"a remote lens, with --strict", "deck:\n  spyglass:\n    lenses:\n    - lens: {name: mine}\n      remote_config: {endpoint: 'http://lens'}\n", []string{"--strict"}, 1,
			"deck.spyglass.lenses[0].remote_config (a remote lens) is accepted but not implemented", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := runProw(t, append([]string{"checkconfig", "--config-path", path}, tc.args...)...)
			want := strings.ReplaceAll(tc.inStderr, "CONFIG", path)
			if code != tc.code || !strings.Contains(stderr, want) || (tc.notStderr != "" && strings.Contains(stderr, tc.notStderr)) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, want)
			}
		})
	}
}
