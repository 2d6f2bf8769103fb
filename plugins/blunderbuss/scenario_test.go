package blunderbuss_test

import (
	"net/http"
	"reflect"
	"sort"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/blunderbuss"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/prow/owners"
	"github.com/prowbot/prow/test/harness"
)

func TestAutoCCThroughHookAndSandbox(t *testing.T) {
	seed := harness.NewSeed("author", "rev-a", "rev-b", "rev-c").Collaborators("write", "rev-a", "rev-b", "rev-c").
		Files(sandbox.FileChanges{"OWNERS": "reviewers: [rev-a]\n", "core/OWNERS": "reviewers: [rev-b, author]\n", "web/OWNERS": "reviewers: [rev-c]\n", "core/x.go": "x\n"}).
		Pull("author", "Core change", sandbox.FileChanges{"core/x.go": "x\ny\nz\n", "core/y.go": "1\n2\n3\n4\n"}).Seed()
	env := harness.StartWith(t, seed, "plugins:\n  demo:\n    plugins: [blunderbuss]\nblunderbuss:\n  request_count: 2\n", func(d harness.Deps) []plugins.Plugin {
		return []plugins.Plugin{blunderbuss.New(d.GitHub, &owners.Loader{Git: d.Git})}
	})
	env.Comment("author", "demo", "hello", 1, "/auto-cc")
	var pr struct {
		RequestedReviewers []struct{ Login string } `json:"requested_reviewers"`
	}
	env.Do("author", http.MethodGet, "/repos/demo/hello/pulls/1", nil, &pr)
	var got []string
	for _, u := range pr.RequestedReviewers {
		got = append(got, u.Login)
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, []string{"rev-a", "rev-b"}) {
		t.Fatalf("requested %v, want the reviewers of core/ and the root, not web/'s nor the author", got)
	}
}
