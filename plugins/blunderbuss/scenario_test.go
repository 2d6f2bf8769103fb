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
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: harness.Bot, Token: harness.BotToken, Bot: true},
			{Login: "author", Token: "author"}, {Login: "rev-a", Token: "a"}, {Login: "rev-b", Token: "b"}, {Login: "rev-c", Token: "c"}},
		Orgs: []sandbox.SeedOrg{{Login: "demo", Members: []string{harness.Bot}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{harness.Bot: "write", "rev-a": "write", "rev-b": "write", "rev-c": "write"},
			Files: map[string]string{"OWNERS": "reviewers: [rev-a]\n", "core/OWNERS": "reviewers: [rev-b, author]\n", "web/OWNERS": "reviewers: [rev-c]\n", "core/x.go": "x\n"}}},
		Pulls: []sandbox.SeedPull{{Repo: "demo/hello", Number: 1, Author: "author", Title: "Core change",
			Files: map[string]string{"core/x.go": "x\ny\nz\n", "core/y.go": "1\n2\n3\n4\n"}}},
	}
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
