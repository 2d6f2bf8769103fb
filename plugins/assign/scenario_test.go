package assign_test

import (
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/assign"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
)

func TestAssignAndCCThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("author", "alice", "bob", "stranger").Members("alice").Collaborators("write", "bob").
		Pull("author", "Change", sandbox.FileChanges{"a": "a\n"}).Seed()
	env := harness.Start(t, seed, "plugins:\n  demo:\n    plugins: [assign]\n", func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{assign.New(c)}
	})
	var pr struct {
		Assignees          []struct{ Login string } `json:"assignees"`
		RequestedReviewers []struct{ Login string } `json:"requested_reviewers"`
	}
	logins := func(us []struct{ Login string }) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Login)
		}
		sort.Strings(out)
		return out
	}
	read := func() { env.Do("alice", http.MethodGet, "/repos/demo/hello/pulls/1", nil, &pr) }

	env.Comment("alice", "demo", "hello", 1, "/assign\n/assign @bob @stranger")
	read()
	if got := logins(pr.Assignees); !reflect.DeepEqual(got, []string{"alice", "bob"}) {
		t.Fatalf("assignees %v", got)
	}
	cs := env.Comments("demo", "hello", 1)
	if !strings.Contains(cs[len(cs)-1].Body, "GitHub didn't allow me to assign the following users: stranger.") {
		t.Fatalf("no refusal reply: %q", cs[len(cs)-1].Body)
	}
	env.Comment("alice", "demo", "hello", 1, "/unassign")
	env.Comment("alice", "demo", "hello", 1, "/cc @bob @stranger")
	read()
	if got := logins(pr.Assignees); !reflect.DeepEqual(got, []string{"bob"}) {
		t.Fatalf("after /unassign: %v", got)
	}
	if got := logins(pr.RequestedReviewers); !reflect.DeepEqual(got, []string{"bob"}) {
		t.Fatalf("requested reviewers %v", got)
	}
	cs = env.Comments("demo", "hello", 1)
	if !strings.Contains(cs[len(cs)-1].Body, "request PR reviews from the following users: stranger.") {
		t.Fatalf("no review refusal reply: %q", cs[len(cs)-1].Body)
	}
}
