package lgtm_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/lgtm"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestLGTMThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("author", "reviewer", "stranger").Collaborators("write", "reviewer", "author").Labels(lgtm.Label).
		Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [lgtm]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{lgtm.New(c)}
	})
	labels := func() []string { return env.Labels("demo", "hello", 1) }
	lastComment := func() string {
		cs := env.Comments("demo", "hello", 1)
		return cs[len(cs)-1].User + ": " + cs[len(cs)-1].Body
	}

	env.Comment("author", "demo", "hello", 1, "/lgtm")
	if got := labels(); len(got) != 0 || !strings.Contains(lastComment(), "the-bot: @author: you cannot LGTM your own PR.") {
		t.Fatalf("the author's lgtm: labels %v, reply %q", got, lastComment())
	}
	env.Comment("stranger", "demo", "hello", 1, "/lgtm")
	if got := labels(); len(got) != 0 || !strings.Contains(lastComment(), "changing LGTM is restricted to collaborators") {
		t.Fatalf("a stranger's lgtm: labels %v, reply %q", got, lastComment())
	}
	env.Comment("reviewer", "demo", "hello", 1, "looks good\n/lgtm")
	if got := labels(); !reflect.DeepEqual(got, []string{lgtm.Label}) {
		t.Fatalf("the reviewer's lgtm: labels %v", got)
	}
	var issue struct {
		Assignees []struct{ Login string } `json:"assignees"`
	}
	env.Do("reviewer", http.MethodGet, "/repos/demo/hello/issues/1", nil, &issue)
	if len(issue.Assignees) != 1 || issue.Assignees[0].Login != "reviewer" {
		t.Errorf("the reviewer should be assigned: %+v", issue.Assignees)
	}
	env.Push("demo", "hello", 1, map[string]string{"b": "b\n"})
	if got := labels(); len(got) != 0 || !strings.Contains(lastComment(), "LGTM label has been removed") {
		t.Fatalf("after a push: labels %v, last comment %q", got, lastComment())
	}
}
