package lgtm_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/lgtm"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/prow/owners"
	"github.com/prowbot/prow/test/harness"
)

func start(t *testing.T, seed *sandbox.Seed, pluginsYAML string) *harness.Env {
	t.Helper()
	return harness.StartWith(t, seed, pluginsYAML, func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{lgtm.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})
}

func lastComment(env *harness.Env, n int) string {
	cs := env.Comments("demo", "hello", n)
	if len(cs) == 0 {
		return ""
	}
	return cs[len(cs)-1].User + ": " + cs[len(cs)-1].Body
}

// botComments lists the bot's comments on PR n that contain s.
func botComments(env *harness.Env, n int, s string) int {
	count := 0
	for _, c := range env.Comments("demo", "hello", n) {
		if c.User == harness.Bot && strings.Contains(c.Body, s) {
			count++
		}
	}
	return count
}

func assignees(env *harness.Env, n int) []string {
	var issue struct {
		Assignees []struct{ Login string } `json:"assignees"`
	}
	env.Do("author", http.MethodGet, fmt.Sprintf("/repos/demo/hello/issues/%d", n), nil, &issue)
	var out []string
	for _, a := range issue.Assignees {
		out = append(out, a.Login)
	}
	return out
}

func review(env *harness.Env, user string, n int, event, body string) {
	env.Do(user, http.MethodPost, fmt.Sprintf("/repos/demo/hello/pulls/%d/reviews", n), map[string]string{"event": event, "body": body}, nil)
	env.Settle()
}

func TestLGTMThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("author", "reviewer", "stranger").Collaborators("write", "reviewer", "author").Labels(lgtm.Label).
		Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := start(t, seed, "plugins:\n  demo:\n    plugins: [lgtm]\n")
	labels := func() []string { return env.Labels("demo", "hello", 1) }

	env.Comment("author", "demo", "hello", 1, "/lgtm")
	if got := labels(); len(got) != 0 || !strings.Contains(lastComment(env, 1), "the-bot: @author: you cannot LGTM your own PR.") {
		t.Fatalf("the author's lgtm: labels %v, reply %q", got, lastComment(env, 1))
	}
	env.Comment("stranger", "demo", "hello", 1, "/lgtm")
	if got := labels(); len(got) != 0 || !strings.Contains(lastComment(env, 1), "changing LGTM is restricted to collaborators") {
		t.Fatalf("a stranger's lgtm: labels %v, reply %q", got, lastComment(env, 1))
	}
	review(env, "reviewer", 1, "APPROVE", "")
	if got := labels(); len(got) != 0 {
		t.Fatalf("without review_acts_as_lgtm a review changes nothing: %v", got)
	}
	env.Comment("reviewer", "demo", "hello", 1, "looks good\n/lgtm")
	if got := labels(); !reflect.DeepEqual(got, []string{lgtm.Label}) {
		t.Fatalf("the reviewer's lgtm: labels %v", got)
	}
	if got := assignees(env, 1); !reflect.DeepEqual(got, []string{"reviewer"}) {
		t.Errorf("the reviewer should be assigned: %v", got)
	}
	env.Push("demo", "hello", 1, map[string]string{"b": "b\n"})
	if got := labels(); len(got) != 0 || botComments(env, 1, lgtm.RemovedNotice) != 1 {
		t.Fatalf("after a push: labels %v, last comment %q", got, lastComment(env, 1))
	}
	env.Comment("reviewer", "demo", "hello", 1, "/lgtm")
	if got := labels(); !reflect.DeepEqual(got, []string{lgtm.Label}) || botComments(env, 1, lgtm.RemovedNotice) != 0 {
		t.Fatalf("the label is back and the removal notice gone: labels %v, comments %v", got, env.Comments("demo", "hello", 1))
	}
}

func TestLGTMCancelAssignsAsProwDoes(t *testing.T) {
	seed := harness.NewSeed("author", "reviewer").Collaborators("write", "reviewer").Labels(lgtm.Label).
		PullWith(sandbox.SeedPull{Author: "author", Title: "Change", Files: sandbox.FileChanges{"a": "a\n"}, Labels: []string{lgtm.Label}}).Seed()
	env := start(t, seed, "plugins:\n  demo:\n    plugins: [lgtm]\n")
	env.Comment("reviewer", "demo", "hello", 1, "/lgtm cancel")
	if got := env.Labels("demo", "hello", 1); len(got) != 0 {
		t.Fatalf("labels after cancel: %v", got)
	}
	if got := assignees(env, 1); !reflect.DeepEqual(got, []string{"reviewer"}) {
		t.Errorf("the canceller should be assigned: %v", got)
	}
}

func TestLGTMReviewsAndTreeHash(t *testing.T) {
	seed := harness.NewSeed("author", "reviewer").Collaborators("write", "reviewer", "author").Labels(lgtm.Label).
		Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := start(t, seed, "plugins:\n  demo:\n    plugins: [lgtm]\nlgtm:\n- repos: [demo/hello]\n  review_acts_as_lgtm: true\n  store_tree_hash: true\n")
	labels := func() []string { return env.Labels("demo", "hello", 1) }

	review(env, "reviewer", 1, "APPROVE", "nice")
	if got := labels(); !reflect.DeepEqual(got, []string{lgtm.Label}) || botComments(env, 1, "Git tree hash: ") != 1 {
		t.Fatalf("an approving review: labels %v, comments %v", got, env.Comments("demo", "hello", 1))
	}
	env.Push("demo", "hello", 1, map[string]string{"a": "a\n"})
	if got := labels(); !reflect.DeepEqual(got, []string{lgtm.Label}) {
		t.Fatalf("a push that keeps the tree keeps the label: %v, %q", got, lastComment(env, 1))
	}
	env.Push("demo", "hello", 1, map[string]string{"a": "changed\n"})
	if got := labels(); len(got) != 0 || botComments(env, 1, lgtm.RemovedNotice) != 1 {
		t.Fatalf("a push that changes the tree removes the label: %v, %q", got, lastComment(env, 1))
	}
	review(env, "reviewer", 1, "APPROVE", "")
	if got := labels(); !reflect.DeepEqual(got, []string{lgtm.Label}) || botComments(env, 1, lgtm.RemovedNotice) != 0 {
		t.Fatalf("approval again: labels %v, comments %v", got, env.Comments("demo", "hello", 1))
	}
	review(env, "reviewer", 1, "REQUEST_CHANGES", "please fix")
	if got := labels(); len(got) != 0 || botComments(env, 1, "Git tree hash: ") != 0 {
		t.Fatalf("requested changes remove the label and the tree notices: %v, %v", got, env.Comments("demo", "hello", 1))
	}
	review(env, "author", 1, "COMMENT", "a reply")
	if got := labels(); len(got) != 0 {
		t.Fatalf("a comment review changes nothing: %v", got)
	}
}

func TestLGTMStickyTeam(t *testing.T) {
	seed := harness.NewSeed("author", "reviewer").Collaborators("write", "reviewer", "author").Labels(lgtm.Label).
		Team(sandbox.SeedTeam{Slug: "trusted-authors", Name: "Trusted Authors", Members: []string{"author"}}).
		Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := start(t, seed, "plugins:\n  demo:\n    plugins: [lgtm]\nlgtm:\n- repos: [demo/hello]\n  trusted_team_for_sticky_lgtm: Trusted Authors\n")
	env.Comment("reviewer", "demo", "hello", 1, "/lgtm")
	env.Push("demo", "hello", 1, map[string]string{"a": "changed\n"})
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{lgtm.Label}) {
		t.Fatalf("a trusted author's push keeps the label: %v", got)
	}
}

func TestLGTMSkipCollaborators(t *testing.T) {
	seed := harness.NewSeed("author", "owner", "collab").Collaborators("write", "collab").Labels(lgtm.Label).
		Files(sandbox.FileChanges{"OWNERS": "reviewers: [owner]\napprovers: [root]\n"}).
		Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := start(t, seed, "plugins:\n  demo:\n    plugins: [lgtm]\nowners:\n  skip_collaborators: [demo/hello]\n")
	env.Comment("collab", "demo", "hello", 1, "/lgtm")
	if got := env.Labels("demo", "hello", 1); len(got) != 0 || !strings.Contains(lastComment(env, 1), lgtm.ReplyOwners) {
		t.Fatalf("a collaborator outside OWNERS: labels %v, reply %q", got, lastComment(env, 1))
	}
	env.Comment("owner", "demo", "hello", 1, "/lgtm")
	if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{lgtm.Label}) {
		t.Fatalf("an OWNERS reviewer: labels %v, reply %q", got, lastComment(env, 1))
	}
	if got := assignees(env, 1); len(got) != 0 {
		t.Errorf("nobody is assigned with skip_collaborators: %v", got)
	}
}

// GitHub label names are case-insensitive: a repository whose label is
// spelt LGTM gets that label from /lgtm, and loses it on cancel and push.
func TestLGTMWithAnUpperCaseRepoLabel(t *testing.T) {
	seed := harness.NewSeed("author", "reviewer").Collaborators("write", "reviewer").Labels("LGTM").
		Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := start(t, seed, "plugins:\n  demo:\n    plugins: [lgtm]\n")
	labels := func() []string { return env.Labels("demo", "hello", 1) }

	env.Comment("reviewer", "demo", "hello", 1, "/lgtm")
	if got := labels(); !reflect.DeepEqual(got, []string{"LGTM"}) {
		t.Fatalf("/lgtm should apply the repository's LGTM label: %v", got)
	}
	env.Comment("reviewer", "demo", "hello", 1, "/lgtm")
	if got := labels(); !reflect.DeepEqual(got, []string{"LGTM"}) {
		t.Fatalf("a second /lgtm keeps one label: %v", got)
	}
	env.Push("demo", "hello", 1, map[string]string{"b": "b\n"})
	if got := labels(); len(got) != 0 || botComments(env, 1, lgtm.RemovedNotice) != 1 {
		t.Fatalf("a push removes LGTM: labels %v, last comment %q", got, lastComment(env, 1))
	}
	env.Comment("reviewer", "demo", "hello", 1, "/lgtm")
	env.Comment("reviewer", "demo", "hello", 1, "/lgtm cancel")
	if got := labels(); len(got) != 0 {
		t.Fatalf("/lgtm cancel removes LGTM: %v", got)
	}
}
