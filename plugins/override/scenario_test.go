package override_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/override"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestOverrideThroughHookAndSandbox(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true},
			{Login: "admin", Token: "admin"}, {Login: "releaser", Token: "releaser"}, {Login: "dev", Token: "dev"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{harness.Bot, "releaser"}, Teams: []sandbox.SeedTeam{{Slug: "release", Members: []string{"releaser"}}}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write", "admin": "admin", "dev": "write"}}},
		Pulls: []sandbox.SeedPull{{Repo: "demo/hello", Number: 1, Author: "dev", Title: "Change", Files: map[string]string{"a": "a\n"}}},
	}
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [override]\noverride:\n  allowed_github_teams:\n    demo/hello: [release]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{override.New(c)}
	})
	ctx := context.Background()
	pr, err := env.GitHub.GetPullRequest(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.GitHub.CreateStatus(ctx, "demo", "hello", pr.HeadSHA, github.Status{Context: "e2e", State: "failure"}); err != nil {
		t.Fatal(err)
	}
	state := func(name string) string {
		statuses, err := env.GitHub.ListStatuses(ctx, "demo", "hello", pr.HeadSHA)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range statuses {
			if s.Context == name {
				return s.State + ":" + s.Description
			}
		}
		return ""
	}
	env.Comment("dev", "demo", "hello", 1, "/override e2e")
	if got := state("e2e"); got != "failure:" {
		t.Fatalf("a developer overrode e2e: %s", got)
	}
	if cs := env.Comments("demo", "hello", 1); !strings.Contains(cs[len(cs)-1].Body, "dev unauthorized: /override is restricted to repo administrators.") {
		t.Fatalf("no refusal: %q", cs[len(cs)-1].Body)
	}
	env.Comment("admin", "demo", "hello", 1, "/override e2e")
	if got := state("e2e"); got != "success:Overridden by admin" {
		t.Fatalf("e2e = %s", got)
	}
	env.Comment("releaser", "demo", "hello", 1, "/override tide-extra")
	if got := state("tide-extra"); got != "success:Overridden by releaser" {
		t.Fatalf("an allowed team member could not override: %s", got)
	}
}
