package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/ghclient"
	"github.com/prowbot/prow/test/seed"
)

// TestLabelSyncCommand runs `prow label-sync` against the sandbox: the plan
// changes nothing, --confirm creates, updates, renames (the issue keeps
// its label under the new name) and deletes, and a second run plans
// nothing.
func TestLabelSyncCommand(t *testing.T) {
	s := seed.New().User("admin", "admin-token").Issue("admin", "On AWS", "area/platform/aws").Seed()
	s.Repos[0].Labels = []sandbox.SeedLabel{{Name: "area/platform/aws", Color: "ededed"}, {Name: "lgtm", Color: "ededed"},
		{Name: "retired", Color: "ededed"}}
	w := newAdminWorld(t, s)
	cfg := w.write("labels.yaml", `default:
  labels:
  - name: area/provider/aws
    color: 0052cc
    description: Issues or PRs related to aws provider
    previously:
    - name: area/platform/aws
  - name: lgtm
    color: 15dd18
    description: Looks good to me
    prowPlugin: lgtm
  - name: needs-rebase
    color: BFD4F2
    target: prs
  - name: retired
    color: ededed
    deleteAfter: "2021-08-04T00:00:00Z"
`)
	bad := w.write("bad.yaml", "default:\n  labels:\n  - name: lgtm\n    color: 15dd18\n  - name: LGTM\n    color: nope\n")
	client := ghclient.New(t, w.url, "admin-token")
	state := func() string {
		ls, err := client.GetRepoLabels(context.Background(), "demo", "hello")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, l := range ls {
			names = append(names, l.Name+" "+l.Color)
		}
		sort.Strings(names)
		on, err := client.GetIssueLabels(context.Background(), "demo", "hello", 1)
		if err != nil {
			t.Fatal(err)
		}
		var issue []string
		for _, l := range on {
			issue = append(issue, l.Name)
		}
		return strings.Join(names, ", ") + " | issue 1: " + strings.Join(issue, ", ")
	}
	run := func(config string, extra ...string) (string, error) {
		return runCommand(newLabelSyncCommand(), append([]string{"--config", config, "--orgs", "demo", "--github-endpoint", w.url,
			"--github-token-path", w.token, "--log-level", "error"}, extra...)...)
	}
	initial := state()

	t.Run("an invalid file is reported with its lines and changes nothing", func(t *testing.T) {
		_, err := run(bad, "--confirm")
		if err == nil || !strings.Contains(err.Error(), "bad.yaml:5: duplicate label \"LGTM\"") ||
			!strings.Contains(err.Error(), "bad.yaml:6: label \"LGTM\": color \"nope\"") {
			t.Errorf("error = %v", err)
		}
		if got := state(); got != initial {
			t.Errorf("labels changed: %s", got)
		}
	})
	t.Run("the plan lists each change and changes nothing", func(t *testing.T) {
		out, err := run(cfg)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, w := range []string{
			`demo/hello: rename label "area/platform/aws" to "area/provider/aws": color ededed -> 0052cc`,
			`demo/hello: update label "lgtm": color ededed -> 15dd18, description "" -> "Looks good to me"`,
			`demo/hello: create label "needs-rebase" (color bfd4f2, description "")`,
			`demo/hello: delete label "retired"`,
			"4 label changes in 1 repositories, 0 up to date (dry run",
		} {
			if !strings.Contains(out, w) {
				t.Errorf("plan lacks %q:\n%s", w, out)
			}
		}
		if got := state(); got != initial {
			t.Errorf("the plan changed labels: %s\nwas %s", got, initial)
		}
	})
	t.Run("--confirm makes the changes", func(t *testing.T) {
		out, err := run(cfg, "--confirm")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !strings.Contains(out, `demo/hello: renamed label "area/platform/aws" to "area/provider/aws"`) ||
			!strings.Contains(out, "4 label changes made in 1 repositories") {
			t.Errorf("output:\n%s", out)
		}
		want := "area/provider/aws 0052cc, lgtm 15dd18, needs-rebase bfd4f2 | issue 1: area/provider/aws"
		if got := state(); got != want {
			t.Errorf("after --confirm: %s\nwant %s", got, want)
		}
	})
	t.Run("a second run plans nothing", func(t *testing.T) {
		out, err := run(cfg)
		if err != nil || !strings.Contains(out, "0 label changes in 0 repositories, 1 up to date") || strings.Contains(out, "demo/hello:") {
			t.Errorf("%v\n%s", err, out)
		}
	})
}

func TestLabelSyncFlags(t *testing.T) {
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("t"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"the config is required", []string{"--orgs", "demo"}, "--config is required"},
		{"orgs or repositories are required", []string{"--config", "x"}, "--orgs or --only"},
		{"not both", []string{"--config", "x", "--orgs", "demo", "--only", "demo/hello"}, "not both"},
		{"--only takes org/repo", []string{"--config", "x", "--only", "hello"}, `--only: "hello" is not of the form org/repo`},
		{"--skip takes org/repo", []string{"--config", "x", "--orgs", "demo", "--skip", "a/b/c"}, `--skip: "a/b/c"`},
		{"--orgs takes org names", []string{"--config", "x", "--orgs", "demo/hello"}, `--orgs: "demo/hello" is not an org name`},
		{"credentials are required", []string{"--config", "x", "--orgs", "demo"}, "GitHub credentials are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.want != "GitHub credentials are required" {
				args = append(args, "--github-token-path", token)
			}
			if _, err := runCommand(newLabelSyncCommand(), args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestLabelSyncCronJobArgs parses the arguments of the cluster CronJob
// with the command's own flags, so a renamed flag cannot go unnoticed.
func TestLabelSyncCronJobArgs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "cluster", "label-sync.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cj struct {
		Spec struct {
			JobTemplate struct {
				Spec struct {
					Template struct {
						Spec struct {
							Containers []struct {
								Args []string `json:"args"`
							} `json:"containers"`
						} `json:"spec"`
					} `json:"template"`
				} `json:"spec"`
			} `json:"jobTemplate"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &cj); err != nil {
		t.Fatal(err)
	}
	cs := cj.Spec.JobTemplate.Spec.Template.Spec.Containers
	if len(cs) != 1 || len(cs[0].Args) == 0 || cs[0].Args[0] != "label-sync" {
		t.Fatalf("containers = %+v, want one running label-sync", cs)
	}
	cmd := newLabelSyncCommand()
	if err := cmd.Flags().Parse(cs[0].Args[1:]); err != nil {
		t.Fatalf("the CronJob's arguments: %v", err)
	}
	for _, flag := range []string{"config", "orgs", "github-token-path", "confirm"} {
		if !cmd.Flags().Changed(flag) {
			t.Errorf("the CronJob does not set --%s", flag)
		}
	}
}

func TestLabelSyncWritesDocs(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "labels.yaml")
	if err := os.WriteFile(cfg, []byte("default:\n  labels:\n  - name: lgtm\n    color: 15dd18\n    prowPlugin: lgtm\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "labels.md")
	if _, err := runCommand(newLabelSyncCommand(), "--config", cfg, "--action", "docs", "--docs-output", out); err != nil {
		t.Fatal(err) // no --orgs and no credentials: docs need no GitHub
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "| `lgtm` |  |  | lgtm |") {
		t.Errorf("docs:\n%s", data)
	}
	if _, err := runCommand(newLabelSyncCommand(), "--config", cfg, "--action", "publish"); err == nil || !strings.Contains(err.Error(), `--action "publish": want sync or docs`) {
		t.Errorf("an unknown action: %v", err)
	}
}

// TestLabelSyncTakesProwsFlags runs the arguments of Kubernetes' label_sync
// job (kubernetes/test-infra sig-testing-label-sync.yaml, with this test's
// paths and sandbox) unchanged.
func TestLabelSyncTakesProwsFlags(t *testing.T) {
	w := newAdminWorld(t, seed.New().User("admin", "admin-token").Seed())
	cfg, token := w.write("labels.yaml", "default:\n  labels:\n  - name: lgtm\n    color: 15dd18\n"), w.token
	out, err := runCommand(newLabelSyncCommand(), "--config="+cfg, "--confirm=true", "--orgs=demo", "--token="+token,
		"--endpoint="+w.url, "--endpoint=https://api.github.com", "--debug")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, `demo/hello: created label "lgtm"`) {
		t.Errorf("output:\n%s", out)
	}
	if _, err := runCommand(newLabelSyncCommand(), "--config="+cfg, "--orgs=demo", "--token="+token, "--github-token-path="+token); err == nil || !strings.Contains(err.Error(), "--token and --github-token-path are the same setting") {
		t.Errorf("both token flags: %v", err)
	}
}
