package lifecycle_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/lifecycle"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

func TestLifecycleThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("author", "maint", "stranger").Collaborators("write", "maint").
		Labels("lifecycle/stale", "lifecycle/rotten").Issue("author", "Old bug").Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [lifecycle]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{lifecycle.New(c)}
	})
	state := func() string {
		var issue struct{ State string }
		env.Do("maint", http.MethodGet, "/repos/demo/hello/issues/1", nil, &issue)
		return issue.State
	}
	lastReply := func() string { cs := env.Comments("demo", "hello", 1); return cs[len(cs)-1].Body }

	env.Comment("stranger", "demo", "hello", 1, "/close")
	if state() != "open" || !strings.Contains(lastReply(), "You can't close an active issue unless you authored it or you are a collaborator.") {
		t.Fatalf("a stranger closed it, or was not told why: %s %q", state(), lastReply())
	}
	env.Comment("maint", "demo", "hello", 1, "/lifecycle stale")
	env.Comment("maint", "demo", "hello", 1, "/lifecycle rotten")
	if got := env.Labels("demo", "hello", 1); len(got) != 1 || got[0] != "lifecycle/rotten" {
		t.Fatalf("labels %v, want only lifecycle/rotten", got)
	}
	env.Comment("stranger", "demo", "hello", 1, "/close")
	if state() != "closed" || !strings.Contains(lastReply(), "Closed this issue.") {
		t.Fatalf("anyone may close a rotten issue: %s %q", state(), lastReply())
	}
	env.Comment("stranger", "demo", "hello", 1, "/reopen")
	if state() != "closed" {
		t.Fatal("a stranger reopened it")
	}
	env.Comment("author", "demo", "hello", 1, "/reopen")
	if state() != "open" || !strings.Contains(lastReply(), "Reopened this issue.") {
		t.Fatalf("the author could not reopen: %s %q", state(), lastReply())
	}
}
