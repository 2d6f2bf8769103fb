package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckconfigTide(t *testing.T) {
	for _, tc := range []struct {
		name     string
		yaml     string
		code     int
		inStderr string // with the config's path in place of CONFIG
	}{
		{"an invalid merge method", "tide:\n  queries:\n  - repos: [o/r]\n  merge_method:\n    o/r: fast-forward\n", 1,
			`CONFIG:5: tide.merge_method.o/r: merge method "fast-forward" is not one of merge, squash, rebase`},
		{"a context regex that does not compile", "tide:\n  context_options:\n    optional-regex-contexts: ['(']\n", 1,
			"CONFIG:3: tide.context_options.optional-regex-contexts: error parsing regexp"},
		{"a merge commit template that does not parse", "tide:\n  merge_commit_template:\n    o:\n      body: '{{end}}'\n", 1,
			"CONFIG:4: tide.merge_commit_template.o.body: template: body:1: unexpected {{end}}"},
		{"a setting tide does not act on yet", "tide:\n  queries:\n  - repos: [o/r]\n  prioritize_existing_batches: {'*': true}\n", 0,
			"warning: CONFIG: tide.prioritize_existing_batches is accepted but not implemented, so it has no effect"},
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
