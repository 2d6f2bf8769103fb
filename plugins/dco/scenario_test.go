package dco_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/dco"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

const pluginsYAML = "plugins:\n  demo:\n    plugins: [dco]\ndco:\n  demo:\n    skip_dco_check_for_members: true\n    contributing_branch: main\n"

const signed = "\n\nSigned-off-by: Bob <bob@example.com>"

type state struct {
	labels  []string
	status  string // the dco status' state, "" for none
	notices []string
}

func observe(t *testing.T, env *harness.Env, n int) state {
	t.Helper()
	var pr struct {
		Head struct{ SHA string } `json:"head"`
	}
	env.Do("bob", http.MethodGet, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), nil, &pr)
	statuses, err := env.GitHub.ListStatuses(context.Background(), "demo", "hello", pr.Head.SHA)
	if err != nil {
		t.Fatal(err)
	}
	s := state{labels: env.Labels("demo", "hello", n)}
	for _, st := range statuses {
		if st.Context == dco.Context {
			s.status = st.State
			if !strings.HasPrefix(st.TargetURL, "https://github.com/demo/hello/blob/main/CONTRIBUTING.md") {
				t.Errorf("the status links %q", st.TargetURL)
			}
		}
	}
	for _, c := range env.Comments("demo", "hello", n) {
		if c.User == harness.Bot && strings.HasPrefix(c.Body, dco.Marker) {
			s.notices = append(s.notices, c.Body)
		}
	}
	return s
}

func TestDCOThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("alice", "bob", "carol").Members("alice").Collaborators("write", "alice", "bob").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin { return []plugins.Plugin{dco.New(c)} })
	check := func(step string, n int, labels []string, status string, notices int, listed ...string) {
		t.Helper()
		s := observe(t, env, n)
		if !reflect.DeepEqual(s.labels, labels) || s.status != status || len(s.notices) != notices {
			t.Fatalf("%s: labels %v, status %q, %d notices; want %v, %q, %d", step, s.labels, s.status, len(s.notices), labels, status, notices)
		}
		for _, want := range listed {
			if !strings.Contains(s.notices[0], want) {
				t.Fatalf("%s: the notice does not list %q:\n%s", step, want, s.notices[0])
			}
		}
	}

	env.Commit("bob", "fix", "a.txt", "Add a")
	n := env.OpenPullFrom("bob", "demo", "hello", "fix", "main", "Change")
	check("opened with an unsigned commit", n, []string{dco.LabelNo}, "failure", 1, "Add a", "@bob:")

	env.Push("demo", "hello", n, map[string]string{"b.txt": "b\n"}) // the sandbox's default message has no sign-off
	check("another unsigned commit", n, []string{dco.LabelNo}, "failure", 1, "Add a", "2 of them")

	// The author replaces the branch with one signed-off commit.
	fixed := env.Commit("bob", "fix-signed", "a.txt", "Add a"+signed)
	env.Do("bob", http.MethodPatch, "/repos/demo/hello/git/refs/heads/fix", map[string]any{"sha": fixed, "force": true}, nil)
	env.Settle()
	check("force-pushed signed off", n, []string{dco.LabelYes}, "success", 0)

	// /check-dco puts back what someone took away.
	if err := env.GitHub.RemoveLabel(context.Background(), "demo", "hello", n, dco.LabelYes); err != nil {
		t.Fatal(err)
	}
	env.Comment("carol", "demo", "hello", n, "/check-dco")
	check("after /check-dco", n, []string{dco.LabelYes}, "success", 0)

	// An org member's commits need no sign-off here.
	env.Commit("alice", "member", "c.txt", "Add c")
	m := env.OpenPullFrom("alice", "demo", "hello", "member", "main", "Change")
	check("a member's unsigned pull request", m, []string{dco.LabelYes}, "success", 0)
}
