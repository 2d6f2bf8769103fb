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

// check has user comment cmd on issue 1, then wants its milestone to be
// want and the last comment to say each of says.
func check(t *testing.T, env *harness.Env, user, cmd, want string, says ...string) {
	t.Helper()
	env.Comment(user, "demo", "hello", 1, cmd)
	if got := current(t, env, 1); got != want {
		t.Fatalf("milestone %q after %s's %s, want %q", got, user, cmd, want)
	}
	for _, s := range says {
		if c := lastComment(env, 1); !strings.Contains(c, s) {
			t.Fatalf("reply to %s's %s lacks %q: %q", user, cmd, s, c)
		}
	}
}

func TestMilestoneThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Milestones("v1.0", "v1.1").
		Team(sandbox.SeedTeam{Slug: "release-team", Members: []string{"alice"}}).
		Issue("bob", "A bug").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{milestone.New(c)}
	})
	// bob is outside the team.
	check(t, env, "bob", "/milestone v1.0", "", "only members of the [demo/release-team]", "release leads")
	check(t, env, "alice", "/milestone v1.1", "v1.1")
	check(t, env, "alice", "/milestone v2", "v1.1", "`v2` is not an open milestone", "`v1.0`, `v1.1`")
	check(t, env, "alice", "/milestone clear", "")
	// A closed issue can still be filed in a milestone.
	env.Do("bob", http.MethodPatch, "/repos/demo/hello/issues/1", map[string]string{"state": "closed"}, nil)
	env.Settle()
	check(t, env, "alice", "/milestone v1.0", "v1.0")
}

// A repository whose repo_milestone entry has only the deprecated team id
// gets a reply saying the team must be named.
func TestMilestoneWithoutATeamSaysSo(t *testing.T) {
	seed := harness.NewSeed("alice").Milestones("v1.0").Issue("alice", "A bug").Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [milestone]\nrepo_milestone:\n  demo/hello:\n    maintainers_id: 12\n",
		func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{milestone.New(c)} })
	check(t, env, "alice", "/milestone v1.0", "", "no milestone maintainers team is named for demo/hello")
}
