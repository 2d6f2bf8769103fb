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

// notifications lists the bot's approve notifications on pull request n.
func notifications(env *harness.Env, n int) []string {
	var out []string
	for _, body := range env.BotComments("demo", "hello", n) {
		if strings.HasPrefix(body, approve.NotificationPrefix) {
			out = append(out, body)
		}
	}
	return out
}

func TestApproveThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob", "alice", "root").Collaborators("write", "alice").Collaborators("admin", "root").
		Labels(approve.Label).
		Files(sandbox.FileChanges{"OWNERS": "approvers: [root]\n", "api/OWNERS": "approvers: [alice]\n", "api/x.go": "x\n"}).
		Pull("bob", "Change", sandbox.FileChanges{"api/x.go": "y\n", "README.md": "hi\n"}).Seed()
	env := harness.StartWith(t, seed, "plugins:\n  demo:\n    plugins: [approve]\n", func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{approve.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})

	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)

	for _, s := range []struct {
		name, user, comment string
		labels              []string
		says                []string // what the one notification says
	}{
		{"an approver of one folder does not approve the whole PR", "alice", "/approve", []string{},
			[]string{"**NOT APPROVED**", "ask *root* to approve"}},
		{"the root approver approves and the notification is updated", "root", "LGTM\n/approve", []string{approve.Label},
			[]string{"This PR is **APPROVED**", "*alice*, *bob*, *root*"}},
		{"canceling removes the label and keeps one notification", "root", "/approve cancel", []string{}, nil},
	} {
		step(s.name, func(t *testing.T) {
			env.Comment(s.user, "demo", "hello", 1, s.comment)
			if got := env.Labels("demo", "hello", 1); !reflect.DeepEqual(got, s.labels) {
				t.Fatalf("labels %v, want %v", got, s.labels)
			}
			n := notifications(env, 1)
			if len(n) != 1 {
				t.Fatalf("notifications %q, want exactly one", n)
			}
			for _, want := range s.says {
				if !strings.Contains(n[0], want) {
					t.Fatalf("the notification lacks %q:\n%s", want, n[0])
				}
			}
		})
	}
}

func TestApproveRequirementsThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("bob", "root", "maintainer").
		Collaborators("admin", "root", "maintainer").Labels(approve.Label).
		Files(sandbox.FileChanges{"OWNERS": "approvers: [root]\n"}).
		Pull("bob", "No issue", sandbox.FileChanges{"a.go": "a\n"}).
		PullWith(sandbox.SeedPull{Author: "bob", Title: "Fixes an issue", Body: "Fixes #41", Files: sandbox.FileChanges{"b.go": "b\n"}}).
		Pull("bob", "Hand approved", sandbox.FileChanges{"c.go": "c\n"}).Seed()
	pluginsYAML := "plugins:\n  demo:\n    plugins: [approve]\napprove:\n- repos: [demo/hello]\n  issue_required: true\n  require_self_approval: true\n"
	env := harness.StartWith(t, seed, pluginsYAML, func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{approve.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})
	notification := func(n int) string {
		all := notifications(env, n)
		if len(all) == 0 {
			return ""
		}
		return all[len(all)-1]
	}

	// Each step builds on the one before: a failed step stops the rest.
	step := harness.Steps(t)

	for _, s := range []struct {
		name    string
		pr      int
		comment string
		labels  int
		says    string // in the notification
	}{
		{"without an issue the PR is not approved", 1, "/approve", 0, "*No associated issue*"},
		{"approve no-issue bypasses the requirement", 1, "/approve no-issue", 1, "requirement bypassed by: *root*"},
		{"a referenced issue satisfies the requirement", 2, "/approve", 1, "**Associated issue:** #41"},
	} {
		step(s.name, func(t *testing.T) {
			env.Comment("root", "demo", "hello", s.pr, s.comment)
			if got := env.Labels("demo", "hello", s.pr); len(got) != s.labels || !strings.Contains(notification(s.pr), s.says) {
				t.Fatalf("labels %v, want %d; notification %q, want it to say %q", got, s.labels, notification(s.pr), s.says)
			}
		})
	}

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
