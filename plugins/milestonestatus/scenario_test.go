package milestonestatus_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/milestonestatus"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = "plugins:\n  demo:\n    plugins: [milestonestatus]\nrepo_milestone:\n  demo/hello:\n    maintainers_team: release-team\n"

func seed() *sandbox.Seed {
	return harness.NewSeed("alice", "bob").Labels("status/approved-for-milestone", "status/in-progress", "status/in-review").
		Team(sandbox.SeedTeam{Slug: "release-team", Members: []string{"alice"}}).
		Pull("bob", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
}

func sorted(l []string) []string { sort.Strings(l); return l }

func TestMilestoneStatusThroughHookAndSandbox(t *testing.T) {
	env := harness.Start(t, seed(), pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{milestonestatus.New(c)}
	})
	env.Comment("bob", "demo", "hello", 1, "/status approved-for-milestone")
	if got := env.Labels("demo", "hello", 1); len(got) != 0 {
		t.Fatalf("bob, outside the team, added %v", got)
	}
	if got := botReplies(env); len(got) != 1 || !strings.Contains(got[0], "only members of the [demo/release-team]") {
		t.Fatalf("bot replies %q, want one refusal", got)
	}
	env.Comment("alice", "demo", "hello", 1, "/status approved-for-milestone\n/status in-progress")
	want := []string{"status/approved-for-milestone", "status/in-progress"}
	if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, want) {
		t.Fatalf("labels %v, want %v", got, want)
	}
	env.Comment("alice", "demo", "hello", 1, "/status done")
	if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, want) {
		t.Fatalf("an unknown status changed the labels: %v", got)
	}
	if got := botReplies(env); len(got) != 1 {
		t.Fatalf("bot replies %q, want only the refusal", got)
	}
}

func botReplies(env *harness.Env) []string {
	return env.BotComments("demo", "hello", 1)
}
