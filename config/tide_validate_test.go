package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadTideConfigIsNamedByFileAndLine(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want string // file:line: message start
	}{
		{"an invalid merge method", "tide:\n  merge_method:\n    o/r: fast-forward\n",
			`config.yaml:3: tide.merge_method.o/r: merge method "fast-forward" is not one of merge, squash, rebase`},
		{"an invalid merge method for a branch", "tide:\n  merge_method:\n    o:\n      r:\n        '^main$': squish\n",
			`config.yaml:5: tide.merge_method.o.r.^main$: merge method "squish"`},
		{"a context regex that does not compile", "tide:\n  context_options:\n    orgs:\n      o:\n        optional-regex-contexts:\n        - ok\n        - '(unclosed'\n",
			"config.yaml:7: tide.context_options.orgs.o.optional-regex-contexts: error parsing regexp"},
		{"a merge commit template that does not parse", "tide:\n  merge_commit_template:\n    o/r:\n      title: '{{.Title'\n",
			"config.yaml:4: tide.merge_commit_template.o/r.title: template: title:1: unclosed action"},
		{"a query repo that is not org/repo", "tide:\n  queries:\n  - repos:\n    - o/r\n    - justrepo\n",
			`config.yaml:5: tide.queries[0].repos[1]: "justrepo" is not org/repo`},
		{"a negative speculative depth", "tide:\n  speculative_depth: -1\n",
			"config.yaml:2: tide.speculative_depth: -1; it must be 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load(Options{ConfigPath: path})
			var problems Problems
			if !errors.As(err, &problems) || len(problems) != 1 {
				t.Fatalf("Load = %v, want one problem", err)
			}
			got := strings.TrimPrefix(problems[0].String(), filepath.Dir(path)+"/")
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("problem %q, want it to start with %q", got, tc.want)
			}
		})
	}
}
