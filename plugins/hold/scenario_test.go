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
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true}, {Login: "alice", Token: "alice"}, {Login: "bob", Token: "bob"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{"alice", harness.Bot}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write"}, Labels: []sandbox.SeedLabel{{Name: hold.Label}}}},
		Pulls: []sandbox.SeedPull{{Repo: "demo/hello", Number: 1, Author: "bob", Title: "Change", Files: map[string]string{"a": "a\n"}}},
	}
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
