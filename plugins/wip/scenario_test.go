package wip_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/wip"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestWIPThroughHookAndSandbox(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true}, {Login: "bob", Token: "bob"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{harness.Bot}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write", "bob": "write"}}},
		Pulls: []sandbox.SeedPull{{Repo: "demo/hello", Number: 1, Author: "bob", Title: "Fix", Files: map[string]string{"a": "a\n"}}},
	}
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [wip]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{wip.New(c)}
	})
	for _, step := range []struct {
		title string
		want  []string
	}{
		{"WIP: Fix", []string{wip.Label}},
		{"[WIP] Fix more", []string{wip.Label}},
		{"Fix, ready", []string{}},
	} {
		env.Do("bob", http.MethodPatch, "/repos/demo/hello/issues/1", map[string]string{"title": step.title}, nil)
		env.Settle()
		if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, step.want) {
			t.Fatalf("after retitling to %q: labels %v, want %v", step.title, got, step.want)
		}
	}
}
