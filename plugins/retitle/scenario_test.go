package retitle_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/retitle"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestRetitleThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("maint", "stranger").Collaborators("write", "maint").
		Pull("stranger", "fix", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [retitle]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{retitle.New(c)}
	})
	title := func() string {
		var pr struct{ Title string }
		env.Do("maint", http.MethodGet, "/repos/demo/hello/pulls/1", nil, &pr)
		return pr.Title
	}
	env.Comment("stranger", "demo", "hello", 1, "/retitle My better title")
	if got := title(); got != "fix" {
		t.Fatalf("a stranger retitled the PR to %q", got)
	}
	if cs := env.Comments("demo", "hello", 1); !strings.Contains(cs[len(cs)-1].Body, "Titles may only be changed by collaborators.") {
		t.Fatalf("no refusal: %q", cs[len(cs)-1].Body)
	}
	env.Comment("maint", "demo", "hello", 1, "/retitle Fix the greeting")
	if got := title(); got != "Fix the greeting" {
		t.Fatalf("title %q", got)
	}
}
