package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/test/seed"
)

func TestCheckconfigTide(t *testing.T) {
	for _, tc := range []struct {
		name     string
		yaml     string
		args     []string
		code     int
		inStderr string // with the config's path in place of CONFIG
	}{
		{"an invalid merge method", "tide:\n  queries:\n  - repos: [o/r]\n  merge_method:\n    o/r: fast-forward\n", nil, 1,
			`CONFIG:5: tide.merge_method.o/r: merge method "fast-forward" is not one of merge, squash, rebase`},
		{"a context regex that does not compile", "tide:\n  context_options:\n    optional-regex-contexts: ['(']\n", nil, 1,
			"CONFIG:3: tide.context_options.optional-regex-contexts: error parsing regexp"},
		{"a merge method branch regex that does not compile", "tide:\n  merge_method:\n    o:\n      r:\n        '(release': squash\n", nil, 1,
			`CONFIG:5: tide.merge_method.o.r: branch "(release": error parsing regexp`},
		{"a merge commit template that does not parse", "tide:\n  merge_commit_template:\n    o:\n      body: '{{end}}'\n", nil, 1,
			"CONFIG:4: tide.merge_commit_template.o.body: template: body:1: unexpected {{end}}"},
		{"a query repo that is not org/repo", "tide:\n  queries:\n  - repos:\n    - justrepo\n", nil, 1,
			`CONFIG:4: tide.queries[0].repos[0]: "justrepo" is not org/repo`},
		{"a query repo nothing else names is a warning", "postsubmits:\n  o/r:\n  - name: post\n    spec: {containers: [{image: x}]}\ntide:\n  queries:\n  - repos:\n    - o/r\n    - o/typo\n", nil, 0,
			`warning: CONFIG:9: tide.queries[0].repos[1]: repo "o/typo" is named nowhere else in the configuration`},
		{"and an error with --strict", "tide:\n  queries:\n  - repos: [o/typo]\n", []string{"--strict"}, 1,
			`CONFIG:3: tide.queries[0].repos[0]: repo "o/typo" is named nowhere else in the configuration`},
		{"a query org nothing else names", "tide:\n  queries:\n  - orgs: [nobody]\n", nil, 0,
			`warning: CONFIG:3: tide.queries[0].orgs[0]: org "nobody" is named nowhere else in the configuration`},
		{"a setting tide does not act on yet", "tide:\n  queries:\n  - repos: [o/r]\n  prioritize_existing_batches: {'*': true}\n", nil, 0,
			"warning: CONFIG: tide.prioritize_existing_batches is accepted but not implemented, so it has no effect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := runProw(t, append([]string{"checkconfig", "--config-path", path}, tc.args...)...)
			if want := strings.ReplaceAll(tc.inStderr, "CONFIG", path); code != tc.code || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, want)
			}
		})
	}
}

func TestCheckconfigNamesNoWarningForQueryReposTheRestNames(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	plugins := filepath.Join(dir, "plugins.yaml")
	jobs := filepath.Join(dir, "jobs.yaml")
	for path, content := range map[string]string{
		cfg:     "tide:\n  queries:\n  - repos: [a/job, b/plugged, c/any]\n    orgs: [d]\n",
		plugins: "plugins:\n  b/plugged:\n    plugins: [lgtm]\n  c:\n    plugins: [lgtm]\n",
		jobs:    "postsubmits:\n  d/repo:\n  - name: post\n    spec: {containers: [{image: x}]}\npresubmits:\n  a/job:\n  - name: pre\n    always_run: true\n    spec: {containers: [{image: x}]}\n",
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code := runProw(t, "checkconfig", "--config-path", cfg, "--plugin-config", plugins, "--job-config-path", jobs, "--strict")
	if code != 0 || strings.Contains(stderr, "named nowhere") {
		t.Errorf("exit %d, stderr:\n%s\nwant no complaint: a job, a plugin entry, an org's plugin entry and a job in the org name them", code, stderr)
	}
}

func TestCheckconfigLooksQueryReposUpOnGitHub(t *testing.T) {
	s := seed.New().User("the-bot", "bot-token").Members("the-bot").Seed()
	_, ts := seed.Serve(t, s)
	dir := t.TempDir()
	cfg, token := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "token")
	if err := os.WriteFile(cfg, []byte("tide:\n  queries:\n  - repos:\n    - demo/hello\n    - demo/typo\n  - orgs: [demo, ghost]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(token, []byte("bot-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runProw(t, "checkconfig", "--config-path", cfg, "--github-endpoint", ts.URL, "--github-token-path", token)
	for _, want := range []string{
		cfg + `:5: tide.queries[0].repos[1]: repo "demo/typo" does not exist on GitHub`,
		cfg + `:6: tide.queries[1].orgs[1]: org "ghost" does not exist on GitHub`,
		"2 problem(s) found",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr:\n%s\nwant %q", stderr, want)
		}
	}
	if code != 1 || strings.Contains(stderr, "demo/hello") || strings.Contains(stderr, "named nowhere") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and nothing about demo/hello or demo, which exist", code, stderr)
	}
}
