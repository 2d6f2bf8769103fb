package size_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/size"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestSizeThroughHookAndSandbox(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true}, {Login: "bob", Token: "bob"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{harness.Bot}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write"},
			Files: map[string]string{"README.md": "hi\n", ".gitattributes": "*.gen linguist-generated=true\n"}}},
		Pulls: []sandbox.SeedPull{{Repo: "demo/hello", Number: 1, Author: "bob", Title: "Small", Files: map[string]string{"a.txt": "1\n2\n3\n"}}},
	}
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [size]\nsize: {s: 5, m: 20, l: 100, xl: 500, xxl: 1000}\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{size.New(c)}
	})
	// The seeded pull request was opened before hook listened; a push
	// (synchronize) makes the plugin look at it.
	push := func(files map[string]string) { env.Push("demo", "hello", 1, files) }
	push(map[string]string{"b.txt": "x\n"})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"size/XS"}) {
		t.Fatalf("labels %v, want size/XS for 4 lines", got)
	}
	push(map[string]string{"c.txt": strings.Repeat("line\n", 30), "big.gen": strings.Repeat("gen\n", 5000)})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{"size/M"}) {
		t.Fatalf("labels %v, want only size/M: 34 lines, generated file left out", got)
	}
}
