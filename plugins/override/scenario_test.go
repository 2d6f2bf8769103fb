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
	seed := harness.NewSeed("admin", "releaser", "dev").Members("releaser").
		Team(sandbox.SeedTeam{Slug: "release", Members: []string{"releaser"}}).
		Collaborators("admin", "admin").Collaborators("write", "dev").
		Pull("dev", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
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

	// A job reported as a check run is overridden with a check run.
	if _, err := env.GitHub.CreateCheckRun(ctx, "demo", "hello", github.CheckRun{Name: "build", HeadSHA: pr.HeadSHA,
		Status: "completed", Conclusion: "failure", Title: "Job failed."}); err != nil {
		t.Fatal(err)
	}
	env.Comment("admin", "demo", "hello", 1, "/override build")
	runs, err := env.GitHub.ListCheckRuns(ctx, "demo", "hello", pr.HeadSHA)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) == 0 || runs[0].Name != "build" || runs[0].Conclusion != "success" || runs[0].Title != "Overridden by admin" {
		t.Fatalf("check runs after /override build: %+v", runs)
	}
	if got := state("build"); got != "" {
		t.Errorf("a status was set for a check run's context: %s", got)
	}
}
