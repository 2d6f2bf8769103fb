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
		who, comment string
		want         []string
	}{
		{"bob", "/stage alpha", []string{"kind/feature", "stage/alpha"}},
		{"alice", "/stage beta", []string{"kind/feature", "stage/beta"}},
		{"alice", "/stage gamma", []string{"kind/feature", "stage/beta"}},
		{"bob", "/remove-stage alpha", []string{"kind/feature", "stage/beta"}},
		{"bob", "/remove-stage beta", []string{"kind/feature"}},
		{"alice", "/stage Stable", []string{"kind/feature", "stage/stable"}},
	} {
		env.Comment(step.who, "demo", "hello", 1, step.comment)
		if got := sorted(env.Labels("demo", "hello", 1)); !reflect.DeepEqual(got, step.want) {
			t.Fatalf("after %s's %q: labels %v, want %v", step.who, step.comment, got, step.want)
		}
	}
	for _, c := range env.Comments("demo", "hello", 1) {
		if c.User == harness.Bot {
			t.Errorf("the bot replied: %q", c.Body)
		}
	}
}
