package verifyowners_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/verifyowners"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = `plugins:
  demo:
    plugins: [verify-owners]
owners:
  labels_denylist: [lgtm, approved]
  skip_collaborators: [demo/solo]
`

func TestVerifyOwnersThroughHookAndSandbox(t *testing.T) {
	repoFiles := sandbox.FileChanges{"OWNERS": "approvers: [alice]\n", "OWNERS_ALIASES": "aliases:\n  team: [alice, bob]\n", "main.go": "package main\n"}
	seed := harness.NewSeed("alice", "bob", "dev", "mallory").Collaborators("write", "alice", "bob").
		Labels(verifyowners.Label).Files(repoFiles).
		Pull("dev", "Change", sandbox.FileChanges{"a.go": "package a\n"}).
		Pull("dev", "Docs owners", sandbox.FileChanges{"docs/OWNERS": "approvers: [ghost]\n"})
	solo := seed.Seed().Repos[0] // demo/hello's collaborators, labels and files
	solo.Name = "demo/solo"
	seed.Repo(solo).PullWith(sandbox.SeedPull{Repo: "demo/solo", Number: 1, Author: "dev", Title: "Docs owners", Files: sandbox.FileChanges{"docs/OWNERS": "approvers: [ghost]\n"}})
	env := harness.StartWith(t, seed.Seed(), pluginsYAML, func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{verifyowners.New(d.GitHub, d.Git)}
	})
	// reports are the bot's comments on a pull request.
	reports := func(repo string, n int) []string {
		return env.BotComments("demo", repo, n)
	}
	expect := func(t *testing.T, repo string, n int, label bool, contains ...string) {
		t.Helper()
		wantLabels := []string{}
		if label {
			wantLabels = []string{verifyowners.Label}
		}
		if got := env.Labels("demo", repo, n); !reflect.DeepEqual(got, wantLabels) {
			t.Fatalf("labels %v, want %v", got, wantLabels)
		}
		got := reports(repo, n)
		if len(contains) == 0 {
			if len(got) != 0 {
				t.Fatalf("the bot said %q, want nothing", got)
			}
			return
		}
		if len(got) != 1 {
			t.Fatalf("the bot left %d reports, want 1: %q", len(got), got)
		}
		for _, c := range append(contains, verifyowners.Marker) {
			if !strings.Contains(got[0], c) {
				t.Fatalf("report %q lacks %q", got[0], c)
			}
		}
	}

	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)

	step("a push without OWNERS changes", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"b.go": "package b\n"})
		expect(t, "hello", 1, false)
	})

	step("a non-collaborator approver", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"api/OWNERS": "approvers: [mallory]\n"})
		expect(t, "hello", 1, true, "@dev: 1 invalid OWNERS file\n", "`api/OWNERS`", "mallory")
	})

	step("a root OWNERS without approvers and with a banned label", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"OWNERS": "reviewers: [alice]\nlabels: [lgtm]\n"})
		expect(t, "hello", 1, true,
			"2 invalid OWNERS files", "`OWNERS`: File contains banned labels: lgtm. No approvers defined", "mallory")
	})

	step("an alias with a non-collaborator", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"OWNERS_ALIASES": "aliases:\n  team: [alice, bob]\n  api: [mallory]\n"})
		expect(t, "hello", 1, true, "3 invalid OWNERS files", "`OWNERS_ALIASES`: Not collaborators of the repository: mallory.")
	})

	step("every file fixed, aliases resolved", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"OWNERS": "approvers: [alice]\n", "api/OWNERS": "approvers: [team]\n", "OWNERS_ALIASES": "aliases:\n  team: [alice, bob]\n"})
		expect(t, "hello", 1, false)
	})

	step("a file that does not parse", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"api/OWNERS": "approvers: [team\n"})
		expect(t, "hello", 1, true, "1 invalid OWNERS file\n", "`api/OWNERS`: Cannot parse file")
	})

	step("no OWNERS change left clears the label and the report", func(t *testing.T) {
		env.Push("demo", "hello", 1, map[string]string{"api/OWNERS": sandbox.Deleted})
		expect(t, "hello", 1, false)
	})

	step("the verify-owners command by anyone checks a PR no event has checked yet", func(t *testing.T) {
		env.Comment("mallory", "demo", "hello", 2, "/verify-owners")
		expect(t, "hello", 2, true, "`docs/OWNERS`", "ghost")
	})
	step("checking again keeps one report", func(t *testing.T) {
		env.Comment("mallory", "demo", "hello", 2, "/verify-owners")
		expect(t, "hello", 2, true, "ghost")
	})

	step("skip_collaborators accepts non-collaborators", func(t *testing.T) {
		env.Comment("mallory", "demo", "solo", 1, "/verify-owners")
		expect(t, "solo", 1, false)
	})
}
