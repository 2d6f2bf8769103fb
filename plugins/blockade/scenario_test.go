package blockade_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/blockade"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = `plugins:
  demo:
    plugins: [blockade]
blockades:
- repos: [demo]
  blockregexps: ['^docs/']
  exceptionregexps: ['^docs/drafts/']
  explanation: The docs are frozen for the release.
`

func seed() *sandbox.Seed {
	return harness.NewSeed("bob").Collaborators("write", "bob").Labels(blockade.Label).
		Pull("bob", "Docs and code", sandbox.FileChanges{"main.go": "package main\n", "docs/guide.md": "guide\n"}).
		Pull("bob", "Drafts only", sandbox.FileChanges{"docs/drafts/idea.md": "idea\n"}).Seed()
}

func notices(env *harness.Env, n int) []string {
	var out []string
	for _, c := range env.Comments("demo", "hello", n) {
		if blockade.IsNotice(c, harness.Bot) {
			out = append(out, c.Body)
		}
	}
	return out
}

func TestBlockadeThroughHookAndSandbox(t *testing.T) {
	env := harness.Start(t, seed(), pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{blockade.New(c)}
	})
	check := func(step string, n int, labels []string, notes int) {
		t.Helper()
		if got := env.Labels("demo", "hello", n); !reflect.DeepEqual(got, labels) {
			t.Fatalf("%s: #%d labels %v, want %v", step, n, got, labels)
		}
		if got := notices(env, n); len(got) != notes {
			t.Fatalf("%s: #%d has %d notices, want %d", step, n, len(got), notes)
		}
	}
	// Seeded pull requests send no webhook: a push makes the bot look.
	env.Push("demo", "hello", 1, map[string]string{"main.go": "package main // v2\n"})
	env.Push("demo", "hello", 2, map[string]string{"docs/drafts/idea.md": "idea v2\n"})
	check("a push to a pull request changing docs", 1, []string{blockade.Label}, 1)
	if n := notices(env, 1)[0]; !strings.Contains(n, "The docs are frozen for the release. (`docs/guide.md`)") || !strings.Contains(n, "@bob:") {
		t.Fatalf("notice %q", n)
	}
	check("a pull request changing only excepted drafts", 2, []string{}, 0)

	env.Push("demo", "hello", 1, map[string]string{"docs/guide.md": "guide, edited\n"})
	check("another push still changing docs", 1, []string{blockade.Label}, 1)

	env.Push("demo", "hello", 1, map[string]string{"docs/guide.md": sandbox.Deleted})
	check("the docs change dropped", 1, []string{}, 0)
}
