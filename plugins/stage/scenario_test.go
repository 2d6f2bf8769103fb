package stage_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/stage"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = "plugins:\n  demo:\n    plugins: [stage]\n"

func seed() *sandbox.Seed {
	return harness.NewSeed("alice", "bob").Labels("stage/alpha", "stage/beta", "stage/stable", "kind/feature").
		Issue("bob", "Feature: frobnicate", "kind/feature").Seed()
}

func sorted(l []string) []string { sort.Strings(l); return l }

func TestStageThroughHookAndSandbox(t *testing.T) {
	env := harness.Start(t, seed(), pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{stage.New(c)}
	})
	for _, step := range []struct {
		name         string
		who, comment string
		want         []string
	}{
		{"a stage is added", "bob", "/stage alpha", []string{"kind/feature", "stage/alpha"}},
		{"a new stage replaces the old one", "alice", "/stage beta", []string{"kind/feature", "stage/beta"}},
		{"an unknown stage changes nothing", "alice", "/stage gamma", []string{"kind/feature", "stage/beta"}},
		{"removing a stage the issue is not in changes nothing", "bob", "/remove-stage alpha", []string{"kind/feature", "stage/beta"}},
		{"the current stage is removed", "bob", "/remove-stage beta", []string{"kind/feature"}},
		{"stage names ignore case", "alice", "/stage Stable", []string{"kind/feature", "stage/stable"}},
	} {
		// Each step builds on the one before: a failed step stops the rest.
		if !t.Run(step.name, func(t *testing.T) {
			env.Comment(step.who, "demo", "hello", 1, step.comment)
			if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, step.want) {
				t.Fatalf("after %s's %q: labels %v, want %v", step.who, step.comment, got, step.want)
			}
		}) {
			t.FailNow()
		}
	}
	if got := env.BotComments("demo", "hello", 1); len(got) != 0 {
		t.Errorf("the bot replied: %q", got)
	}
}
