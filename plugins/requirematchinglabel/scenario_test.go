package requirematchinglabel_test

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/requirematchinglabel"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

const (
	missingComment = "This pull request needs a `kind/` label."
	pluginsYAML    = `plugins:
  demo:
    plugins: [require-matching-label]
require_matching_label:
- org: demo
  repo: hello
  prs: true
  branch: main
  regexp: ^kind/
  missing_label: needs-kind
  missing_comment: "` + missingComment + `"
  grace_period: 10ms
- org: demo
  issues: true
  regexp: ^priority/
  missing_label: needs-priority
  grace_period: 0s
`
)

func TestRequireMatchingLabelThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob", "carol").Members("alice").Collaborators("write", "alice").
		Labels("needs-kind", "needs-priority", "kind/bug", "priority/important-soon").
		Issue("bob", "Filed before the bot").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{requirematchinglabel.New(c)}
	})
	check := func(t *testing.T, n int, labels []string, comments int) {
		t.Helper()
		got := env.Labels("demo", "hello", n)
		sort.Strings(got)
		if !reflect.DeepEqual(got, labels) {
			t.Fatalf("labels of #%d %v, want %v", n, got, labels)
		}
		count := 0
		for _, c := range env.Comments("demo", "hello", n) {
			if c.User == harness.Bot && c.Body == missingComment {
				count++
			}
		}
		if count != comments {
			t.Fatalf("%d missing-label comments on #%d, want %d", count, n, comments)
		}
	}
	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)
	label := func(who string, n int, name string) {
		env.Do(who, http.MethodPost, fmt.Sprintf("/repos/demo/hello/issues/%d/labels", n), map[string][]string{"labels": {name}}, nil)
		env.Settle()
	}
	unlabel := func(who string, n int, name string) {
		env.Do(who, http.MethodDelete, fmt.Sprintf("/repos/demo/hello/issues/%d/labels/%s", n, url.PathEscape(name)), nil, nil)
		env.Settle()
	}

	var pr int
	step("a pull request opened without a kind gets needs-kind and a comment", func(t *testing.T) {
		pr = env.OpenPull("bob", "demo", "hello", "change", "main", "Change", map[string]string{"a": "a\n"})
		check(t, pr, []string{"needs-kind"}, 1)
	})
	step("a kind label clears needs-kind", func(t *testing.T) {
		label("alice", pr, "kind/bug")
		check(t, pr, []string{"kind/bug"}, 0)
	})
	step("removing the kind brings needs-kind back", func(t *testing.T) {
		unlabel("alice", pr, "kind/bug")
		check(t, pr, []string{"needs-kind"}, 1)
	})
	step("a label that does not match leaves needs-kind", func(t *testing.T) {
		label("alice", pr, "priority/important-soon")
		check(t, pr, []string{"needs-kind", "priority/important-soon"}, 1)
	})

	var issue struct {
		Number int `json:"number"`
	}
	step("an issue opened without a priority gets needs-priority", func(t *testing.T) {
		env.Do("carol", http.MethodPost, "/repos/demo/hello/issues", map[string]string{"title": "Broken"}, &issue)
		env.Settle()
		check(t, issue.Number, []string{"needs-priority"}, 0)
	})
	step("a priority label clears needs-priority", func(t *testing.T) {
		label("alice", issue.Number, "priority/important-soon")
		check(t, issue.Number, []string{"priority/important-soon"}, 0)
	})

	step("an issue from before the bot is untouched", func(t *testing.T) {
		check(t, 1, []string{}, 0)
	})
	step("the check-required-labels command checks an old issue", func(t *testing.T) {
		env.Comment("carol", "demo", "hello", 1, "/check-required-labels")
		check(t, 1, []string{"needs-priority"}, 0)
	})
}
