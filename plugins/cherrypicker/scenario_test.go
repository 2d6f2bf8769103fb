package cherrypicker_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/cherrypicker"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = `plugins:
  demo:
    plugins: [cherrypicker]
cherrypicker:
  labels: [area/release]
`

// seed is demo/hello with app.txt on main, release-1.0 and release-2.0
// as main, release-conflict where the line the pull request changes
// differs, and pull request 1 by bob changing that line.
func seed() *sandbox.Seed {
	s := harness.NewSeed("alice", "bob", "mallory").Members("alice", "bob").Collaborators("write", "alice", "bob").
		Labels("area/release", "cherrypick/release-3.0").Files(sandbox.FileChanges{"app.txt": "one\ntwo\nthree\n"}).
		Branches("release-1.0", "release-2.0", "release-3.0").
		PullWith(sandbox.SeedPull{Author: "bob", Title: "Fix the second line",
			Body:  "Fixes it.\n\n```release-note\nThe second line is right.\n```\n",
			Files: sandbox.FileChanges{"app.txt": "one\nTWO\nthree\n"}}).Seed()
	s.Repos[0].BranchFiles = map[string]sandbox.FileChanges{"release-conflict": {"app.txt": "one\n2\nthree\n"}}
	return s
}

func start(t *testing.T) *harness.Env {
	return harness.StartWith(t, seed(), pluginsYAML, func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{cherrypicker.New(d.GitHub, d.Git)}
	})
}

// picks lists the open cherry-picks of pull request 1 onto target.
func picks(t *testing.T, env *harness.Env, target string) []github.PullRequest {
	t.Helper()
	prs, err := env.GitHub.FindOpenPullRequests(context.Background(), "demo", "hello", "demo:"+cherrypicker.BranchName(1, target), target)
	if err != nil {
		t.Fatal(err)
	}
	return prs
}

// botSaid returns the bot's comments on pull request 1 that contain text.
func botSaid(env *harness.Env, text string) []string {
	var out []string
	for _, c := range env.Comments("demo", "hello", 1) {
		if c.User == harness.Bot && strings.Contains(c.Body, text) {
			out = append(out, c.Body)
		}
	}
	return out
}

// checkPick checks the one cherry-pick onto target: title, body, the
// change on its branch, its labels and assignee, and the link to it.
func checkPick(t *testing.T, env *harness.Env, target, requester string) int {
	t.Helper()
	prs := picks(t, env, target)
	if len(prs) != 1 {
		t.Fatalf("%d cherry-picks onto %s, want 1", len(prs), target)
	}
	n := prs[0].Number
	pr, err := env.GitHub.GetPullRequest(context.Background(), "demo", "hello", n)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Title != "["+target+"] Fix the second line" || pr.BaseRef != target || pr.Author != harness.Bot {
		t.Errorf("cherry-pick %+v", pr)
	}
	wantBody := "This is an automated cherry-pick of #1\n\n/assign " + requester + "\n\n```release-note\nThe second line is right.\n```"
	if pr.Body != wantBody {
		t.Errorf("body %q, want %q", pr.Body, wantBody)
	}
	data, err := env.GitHub.GetFile(context.Background(), "demo", "hello", "app.txt", cherrypicker.BranchName(1, target))
	if err != nil || string(data) != "one\nTWO\nthree\n" {
		t.Errorf("app.txt on the cherry-pick: %q, %v", data, err)
	}
	if got := env.Labels("demo", "hello", n); len(got) != 1 || got[0] != "area/release" {
		t.Errorf("labels %v", got)
	}
	if got := assignees(env, n); len(got) != 1 || got[0] != requester {
		t.Errorf("assignees %v, want %s", got, requester)
	}
	if said := botSaid(env, fmt.Sprintf("the cherry-pick onto `%s` is #%d.", target, n)); len(said) != 1 {
		t.Errorf("links to #%d: %q", n, said)
	}
	return n
}

// A cherry-pick asked for on an open pull request happens when it
// merges; on a merged one at once; a conflict, a missing branch, the base
// itself and a non-member are answered; asking again opens nothing new.
func TestCherrypickThroughHookAndSandbox(t *testing.T) {
	env := start(t)
	env.Comment("mallory", "demo", "hello", 1, "/cherrypick release-1.0")
	if len(botSaid(env, "only members of the [demo]")) != 1 {
		t.Fatalf("mallory was not refused: %q", botSaid(env, ""))
	}
	env.Comment("alice", "demo", "hello", 1, "/cherrypick release-1.0")
	if len(botSaid(env, "once this pull request merges, I will cherry-pick it onto `release-1.0`")) != 1 {
		t.Fatalf("no promise: %q", botSaid(env, ""))
	}
	if len(picks(t, env, "release-1.0")) != 0 {
		t.Fatal("cherry-picked before the merge")
	}

	env.Do("alice", http.MethodPut, "/repos/demo/hello/pulls/1/merge", map[string]string{"merge_method": "merge"}, nil)
	env.Settle()
	checkPick(t, env, "release-1.0", "alice")
	if len(picks(t, env, "release-2.0")) != 0 {
		t.Fatal("mallory's request was acted on")
	}

	env.Comment("bob", "demo", "hello", 1, "/cherry-pick release-2.0")
	checkPick(t, env, "release-2.0", "bob")

	env.Comment("alice", "demo", "hello", 1, "/cherrypick release-conflict")
	if said := botSaid(env, "the cherry-pick of #1 onto `release-conflict` failed: its commits do not apply there."); len(said) != 1 || !strings.Contains(said[0], "app.txt") {
		t.Errorf("conflict report: %q", said)
	}
	if len(picks(t, env, "release-conflict")) != 0 {
		t.Error("a conflicting cherry-pick was opened")
	}

	env.Comment("alice", "demo", "hello", 1, "/cherrypick release-9.9\n/cherrypick main")
	if len(botSaid(env, "I cannot cherry-pick onto `release-9.9`: the repository has no such branch.")) != 1 {
		t.Errorf("no answer for a missing branch: %q", botSaid(env, ""))
	}
	if len(botSaid(env, "`main` is the branch this pull request merged into")) != 1 {
		t.Errorf("no answer for the base: %q", botSaid(env, ""))
	}

	env.Comment("alice", "demo", "hello", 1, "/cherrypick release-1.0")
	if len(picks(t, env, "release-1.0")) != 1 {
		t.Error("a second cherry-pick onto release-1.0 was opened")
	}
	if len(botSaid(env, "#1 is already cherry-picked onto `release-1.0` in #")) != 1 {
		t.Errorf("no answer for the repeat: %q", botSaid(env, ""))
	}

	// A label asks on behalf of the pull request's author.
	env.Do("alice", http.MethodPost, "/repos/demo/hello/issues/1/labels", map[string][]string{"labels": {"cherrypick/release-3.0"}}, nil)
	env.Settle()
	checkPick(t, env, "release-3.0", "bob")
	if said := botSaid(env, "(In response to the label `cherrypick/release-3.0`.)"); len(said) != 1 || !strings.HasPrefix(said[0], "@bob: ") {
		t.Errorf("label reply: %q", said)
	}
}

// assignees lists the logins assigned to pull request n.
func assignees(env *harness.Env, n int) []string {
	var issue struct {
		Assignees []struct{ Login string } `json:"assignees"`
	}
	env.Do("alice", http.MethodGet, fmt.Sprintf("/repos/demo/hello/issues/%d", n), nil, &issue)
	var out []string
	for _, a := range issue.Assignees {
		out = append(out, a.Login)
	}
	return out
}

// A squash-merged pull request of two commits is picked as its two
// commits (git am of each).
func TestCherrypickOfASquashMergedPullRequest(t *testing.T) {
	env := start(t)
	env.Push("demo", "hello", 1, map[string]string{"b.txt": "b\n"})
	env.Do("alice", http.MethodPut, "/repos/demo/hello/pulls/1/merge", map[string]string{"merge_method": "squash"}, nil)
	env.Settle()
	env.Comment("alice", "demo", "hello", 1, "/cherrypick release-1.0")
	n := checkPick(t, env, "release-1.0", "alice")
	data, err := env.GitHub.GetFile(context.Background(), "demo", "hello", "b.txt", cherrypicker.BranchName(1, "release-1.0"))
	if err != nil || string(data) != "b\n" {
		t.Errorf("b.txt on the cherry-pick: %q, %v", data, err)
	}
	commits, err := env.GitHub.ListPullRequestCommits(context.Background(), "demo", "hello", n)
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != 2 {
		t.Fatalf("%d commits, want the pull request's 2", len(commits))
	}
}
