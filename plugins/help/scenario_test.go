package help_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/help"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

func TestHelpThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob").Labels(help.HelpLabel, help.GoodFirstIssueLabel).Issue("bob", "Docs typo").Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [help]\nhelp:\n  help_guidelines_url: https://example.com/help\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{help.New(c)}
	})
	env.Comment("bob", "demo", "hello", 1, "/good-first-issue")
	got := env.Labels("demo", "hello", 1)
	sort.Strings(got)
	if !reflect.DeepEqual(got, []string{help.GoodFirstIssueLabel, help.HelpLabel}) {
		t.Fatalf("labels %v", got)
	}
	cs := env.Comments("demo", "hello", 1)
	if !strings.Contains(cs[len(cs)-1].Body, "[help wanted guidelines](https://example.com/help)") {
		t.Fatalf("guidance %q", cs[len(cs)-1].Body)
	}
	env.Comment("bob", "demo", "hello", 1, "/remove-help")
	if got := env.Labels("demo", "hello", 1); len(got) != 0 {
		t.Fatalf("after /remove-help: %v", got)
	}
}
