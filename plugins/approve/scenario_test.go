package approve_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/approve"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/prow/owners"
	"github.com/prowbot/prow/test/harness"
)

func TestApproveThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob", "alice", "root").Collaborators("write", "alice").Collaborators("admin", "root").
		Labels(approve.Label).
		Files(sandbox.FileChanges{"OWNERS": "approvers: [root]\n", "api/OWNERS": "approvers: [alice]\n", "api/x.go": "x\n"}).
		Pull("bob", "Change", sandbox.FileChanges{"api/x.go": "y\n", "README.md": "hi\n"}).Seed()
	env := harness.StartWith(t, seed, "plugins:\n  demo:\n    plugins: [approve]\n", func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{approve.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})
	notifications := func() []string {
		var out []string
		for _, c := range env.Comments("demo", "hello", 1) {
			if c.User == harness.Bot && strings.HasPrefix(c.Body, approve.NotificationPrefix) {
				out = append(out, c.Body)
			}
		}
		return out
	}

	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)

	step("an approver of one folder does not approve the whole PR", func(t *testing.T) {
		env.Comment("alice", "demo", "hello", 1, "/approve")
		if got := env.Labels("demo", "hello", 1); len(got) != 0 {
			t.Fatalf("approved too early: %v", got)
		}
		n := notifications()
		if len(n) != 1 || !strings.Contains(n[0], "**NOT APPROVED**") || !strings.Contains(n[0], "ask *root* to approve") {
			t.Fatalf("notifications %q", n)
		}
	})
	step("the root approver approves and the notification is updated", func(t *testing.T) {
		env.Comment("root", "demo", "hello", 1, "LGTM\n/approve")
		if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, []string{approve.Label}) {
			t.Fatalf("labels %v", got)
		}
		n := notifications()
		if len(n) != 1 || !strings.Contains(n[0], "This PR is **APPROVED**") || !strings.Contains(n[0], "*alice*, *bob*, *root*") {
			t.Fatalf("one current notification expected, got %q", n)
		}
	})
	step("canceling removes the label and keeps one notification", func(t *testing.T) {
		env.Comment("root", "demo", "hello", 1, "/approve cancel")
		if got := env.Labels("demo", "hello", 1); len(got) != 0 {
			t.Fatalf("after cancel: %v", got)
		}
		if n := notifications(); len(n) != 1 {
			t.Fatalf("%d notifications, want exactly one", len(n))
		}
	})
}

func TestApproveRequirementsThroughHookAndSandbox(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true},
			{Login: "bob", Token: "bob"}, {Login: "root", Token: "root"}, {Login: "maintainer", Token: "maintainer"}},
		Orgs: []sandbox.SeedOrg{{Login: "demo", Members: []string{harness.Bot}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write", "root": "admin", "maintainer": "admin"},
			Labels: []sandbox.SeedLabel{{Name: approve.Label}},
			Files:  map[string]string{"OWNERS": "approvers: [root]\n"}}},
		Pulls: []sandbox.SeedPull{
			{Repo: "demo/hello", Number: 1, Author: "bob", Title: "No issue", Files: map[string]string{"a.go": "a\n"}},
			{Repo: "demo/hello", Number: 2, Author: "bob", Title: "Fixes an issue", Body: "Fixes #41", Files: map[string]string{"b.go": "b\n"}},
			{Repo: "demo/hello", Number: 3, Author: "bob", Title: "Hand approved", Files: map[string]string{"c.go": "c\n"}},
		},
	}
	pluginsYAML := "plugins:\n  demo:\n    plugins: [approve]\napprove:\n- repos: [demo/hello]\n  issue_required: true\n  require_self_approval: true\n"
	env := harness.StartWith(t, seed, pluginsYAML, func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{approve.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})
	notification := func(n int) string {
		var out string
		for _, c := range env.Comments("demo", "hello", n) {
			if c.User == harness.Bot && strings.HasPrefix(c.Body, approve.NotificationPrefix) {
				out = c.Body
			}
		}
		return out
	}

	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)

	step("without an issue the PR is not approved", func(t *testing.T) {
		env.Comment("root", "demo", "hello", 1, "/approve")
		if got := env.Labels("demo", "hello", 1); len(got) != 0 || !strings.Contains(notification(1), "*No associated issue*") {
			t.Fatalf("without an issue the PR is not approved: labels %v, %q", got, notification(1))
		}
	})
	step("approve no-issue bypasses the requirement", func(t *testing.T) {
		env.Comment("root", "demo", "hello", 1, "/approve no-issue")
		if got := env.Labels("demo", "hello", 1); len(got) != 1 || !strings.Contains(notification(1), "requirement bypassed by: *root*") {
			t.Fatalf("/approve no-issue should approve: labels %v, %q", got, notification(1))
		}
	})
	step("a referenced issue satisfies the requirement", func(t *testing.T) {
		env.Comment("root", "demo", "hello", 2, "/approve")
		if got := env.Labels("demo", "hello", 2); len(got) != 1 || !strings.Contains(notification(2), "**Associated issue:** #41") {
			t.Fatalf("a referenced issue satisfies the requirement: labels %v, %q", got, notification(2))
		}
	})

	step("a hand-added label is recorded as a bypass", func(t *testing.T) {
		env.Comment("bob", "demo", "hello", 3, "/approve")
		env.Do("maintainer", "POST", "/repos/demo/hello/issues/3/labels", map[string][]string{"labels": {approve.Label}}, nil)
		env.Settle()
		if !strings.Contains(notification(3), "bypassed by manually added approval (by *maintainer*)") {
			t.Fatalf("a hand-added label should be recorded: %q", notification(3))
		}
	})
	step("the bot keeps a label a person added", func(t *testing.T) {
		env.Comment("bob", "demo", "hello", 3, "/approve cancel")
		if got := env.Labels("demo", "hello", 3); len(got) != 1 {
			t.Fatalf("the bot must keep a label a person added: %v", got)
		}
	})
	step("removing the label by hand withdraws the bypass", func(t *testing.T) {
		env.Do("maintainer", "DELETE", "/repos/demo/hello/issues/3/labels/"+approve.Label, nil, nil)
		env.Settle()
		if strings.Contains(notification(3), "manually added") || !strings.Contains(notification(3), "**NOT APPROVED**") {
			t.Fatalf("removing the label by hand withdraws the bypass: %q", notification(3))
		}
	})
}

func TestApproveProwCasesThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob", "alice", "root").Collaborators("write", "alice").Collaborators("admin", "root").
		Labels(approve.Label).
		Files(sandbox.FileChanges{
			"OWNERS":     "approvers: [root, " + harness.Bot + "]\n",
			"api/OWNERS": "approvers: [alice]\noptions:\n  auto_approve_unowned_subfolders: true\n",
			"api/x.go":   "x\n",
		}).Seed()
	pluginsYAML := "plugins:\n  demo:\n    plugins: [approve]\napprove:\n- repos: [demo/hello]\n  require_self_approval: true\n"
	env := harness.StartWith(t, seed, pluginsYAML, func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{approve.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})
	labels := func(n int) string { return strings.Join(env.Labels("demo", "hello", n), ",") }

	t.Run("a change in an unowned subfolder of an auto-approving OWNERS needs no approval", func(t *testing.T) {
		n := env.OpenPull("bob", "demo", "hello", "new-folder", "main", "Add a package", map[string]string{"api/newpkg/a.go": "a\n"})
		if got := labels(n); got != approve.Label {
			t.Fatalf("labels %q", got)
		}
	})

	n := env.OpenPull("bob", "demo", "hello", "readme", "main", "Docs", map[string]string{"README.md": "hi\n"})
	t.Run("the bot's own approving review does not approve", func(t *testing.T) {
		env.Do(harness.BotToken, http.MethodPost, fmt.Sprintf("/repos/demo/hello/pulls/%d/reviews", n), map[string]string{"event": "APPROVE"}, nil)
		env.Settle()
		if got := labels(n); got != "" {
			t.Fatalf("labels after the bot's review %q", got)
		}
	})
	t.Run("approve in a review comment approves", func(t *testing.T) {
		var pr struct {
			Head struct{ SHA string } `json:"head"`
		}
		env.Do("root", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
		env.Do("root", http.MethodPost, fmt.Sprintf("/repos/demo/hello/pulls/%d/comments", n),
			map[string]any{"body": "/approve", "path": "README.md", "line": 1, "side": "RIGHT", "commit_id": pr.Head.SHA}, nil)
		env.Settle()
		if got := labels(n); got != approve.Label {
			t.Fatalf("labels after /approve on a line %q", got)
		}
	})
	t.Run("cancel anywhere in the arguments withdraws", func(t *testing.T) {
		// Another pull request: GitHub's times have whole seconds, so
		// comments of two kinds in one second have no order.
		n := env.OpenPull("bob", "demo", "hello", "readme-2", "main", "More docs", map[string]string{"README.md": "hello\n"})
		env.Comment("root", "demo", "hello", n, "/approve")
		env.Comment("root", "demo", "hello", n, "/approve no wait, cancel")
		if got := labels(n); got != "" {
			t.Fatalf("labels %q", got)
		}
		env.Comment("root", "demo", "hello", n, "/approve with pleasure")
		if got := labels(n); got != approve.Label {
			t.Fatalf("any other arguments approve: labels %q", got)
		}
	})
}
