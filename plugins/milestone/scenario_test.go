package milestone_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/milestone"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = "plugins:\n  demo:\n    plugins: [milestone]\nrepo_milestone:\n  '':\n    maintainers_team: release-team\n    maintainers_friendly_name: release leads\n"

func current(t *testing.T, env *harness.Env, n int) string {
	t.Helper()
	m, err := env.GitHub.IssueMilestone(context.Background(), "demo", "hello", n)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func lastComment(env *harness.Env, n int) string {
	cs := env.Comments("demo", "hello", n)
	if len(cs) == 0 {
		return ""
	}
	return cs[len(cs)-1].Body
}

func TestMilestoneThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Milestones("v1.0", "v1.1").
		Team(sandbox.SeedTeam{Slug: "release-team", Members: []string{"alice"}}).
		Issue("bob", "A bug").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{milestone.New(c)}
	})
	env.Comment("bob", "demo", "hello", 1, "/milestone v1.0")
	if got := current(t, env, 1); got != "" {
		t.Fatalf("bob, outside the team, set milestone %q", got)
	}
	if c := lastComment(env, 1); !strings.Contains(c, "only members of the [demo/release-team]") || !strings.Contains(c, "release leads") {
		t.Fatalf("refusal %q", c)
	}
	env.Comment("alice", "demo", "hello", 1, "/milestone v1.1")
	if got := current(t, env, 1); got != "v1.1" {
		t.Fatalf("milestone %q after alice's /milestone v1.1", got)
	}
	env.Comment("alice", "demo", "hello", 1, "/milestone v2")
	if got := current(t, env, 1); got != "v1.1" {
		t.Fatalf("milestone %q after an unknown title", got)
	}
	if c := lastComment(env, 1); !strings.Contains(c, "`v2` is not an open milestone") || !strings.Contains(c, "`v1.0`, `v1.1`") {
		t.Fatalf("reply to an unknown title %q", c)
	}
	env.Comment("alice", "demo", "hello", 1, "/milestone clear")
	if got := current(t, env, 1); got != "" {
		t.Fatalf("milestone %q after /milestone clear", got)
	}
	// A closed issue can still be filed in a milestone.
	env.Do("bob", http.MethodPatch, "/repos/demo/hello/issues/1", map[string]string{"state": "closed"}, nil)
	env.Settle()
	env.Comment("alice", "demo", "hello", 1, "/milestone v1.0")
	if got := current(t, env, 1); got != "v1.0" {
		t.Fatalf("milestone %q after /milestone v1.0 on the closed issue", got)
	}
}

// A repository whose repo_milestone entry has only the deprecated team id
// gets a reply saying the team must be named.
func TestMilestoneWithoutATeamSaysSo(t *testing.T) {
	seed := harness.NewSeed("alice").Milestones("v1.0").Issue("alice", "A bug").Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [milestone]\nrepo_milestone:\n  demo/hello:\n    maintainers_id: 12\n",
		func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{milestone.New(c)} })
	env.Comment("alice", "demo", "hello", 1, "/milestone v1.0")
	if got := current(t, env, 1); got != "" {
		t.Fatalf("milestone %q set without a team", got)
	}
	if c := lastComment(env, 1); !strings.Contains(c, "no milestone maintainers team is named for demo/hello") {
		t.Fatalf("reply %q", c)
	}
}
