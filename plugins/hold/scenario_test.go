package hold_test

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/hold"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestHoldThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob").Members("alice").Labels(hold.Label).
		Pull("bob", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [hold]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{hold.New(c)}
	})
	steps := []struct {
		who, body string
		want      []string
	}{
		{"bob", "/hold", []string{hold.Label}},
		{"alice", "```\n/hold cancel\n```", []string{hold.Label}},
		{"alice", "/hold cancel", []string{}},
		{"alice", "> /hold", []string{}},
		{"bob", "waiting on review\n/hold", []string{hold.Label}},
		{"alice", "/unhold", []string{}},
	}
	for _, s := range steps {
		env.Comment(s.who, "demo", "hello", 1, s.body)
		if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, s.want) {
			t.Fatalf("after %s said %q: labels %v, want %v", s.who, s.body, got, s.want)
		}
	}
}

func TestHoldCancelRemovesAnUpperCaseHoldLabel(t *testing.T) {
	const repoLabel = "Do-Not-Merge/Hold"
	seed := harness.NewSeed("alice", "bob").Members("alice").Labels(repoLabel).
		PullWith(sandbox.SeedPull{Author: "bob", Title: "Change", Files: sandbox.FileChanges{"a": "a\n"}, Labels: []string{repoLabel}}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [hold]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{hold.New(c)}
	})
	env.Comment("alice", "demo", "hello", 1, "/hold cancel")
	if got := env.Labels("demo", "hello", 1); len(got) != 0 {
		t.Fatalf("/hold cancel should remove %s: labels %v", repoLabel, got)
	}
	env.Comment("alice", "demo", "hello", 1, "/hold")
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{repoLabel}) {
		t.Fatalf("/hold should apply the repository's label: %v", got)
	}
}
