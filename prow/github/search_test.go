package github

import (
	"context"
	"fmt"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/testlog"
)

func TestFindIssuesAgainstTheSandbox(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: "the-bot", Token: "bot-token"}, {Login: "alice"}, {Login: "bob"}, {Login: "many"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{"the-bot"}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello"}, {Name: "demo/other"}},
		Pulls: []sandbox.SeedPull{
			{Repo: "demo/hello", Number: 1, Author: "alice", Title: "First", Files: map[string]string{"a": "a\n"}, Labels: []string{"lgtm"}},
			{Repo: "demo/hello", Number: 2, Author: "bob", Title: "Bob's", Files: map[string]string{"b": "b\n"}},
			{Repo: "demo/hello", Number: 3, Author: "alice", Title: "Second", Files: map[string]string{"c": "c\n"}, State: "closed"},
			{Repo: "demo/other", Number: 1, Author: "alice", Title: "Elsewhere", Files: map[string]string{"d": "d\n"}},
		},
		Issues: []sandbox.SeedIssue{{Repo: "demo/hello", Number: 4, Author: "alice", Title: "A bug"}},
	}
	for i := 0; i < 130; i++ {
		seed.Issues = append(seed.Issues, sandbox.SeedIssue{Repo: "demo/other", Author: "many", Title: fmt.Sprint("issue ", i)})
	}
	srv, err := sandbox.New(sandbox.Options{Seed: seed, GitDir: t.TempDir(), Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.Close()
	c, err := NewClient(ClientOptions{Endpoint: ts.URL, TokenPath: tokenFile(t, "bot-token"), Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, query string
		want        []string // org/repo#number
		count       int      // when want is nil
	}{
		{"an author's pull requests in a repo, open or closed", "is:pr repo:demo/hello author:alice", []string{"demo/hello#1", "demo/hello#3"}, 0},
		{"issues are not pull requests", "is:issue repo:demo/hello author:alice", []string{"demo/hello#4"}, 0},
		{"the repository comes from the result", "is:pr author:alice repo:demo/other", []string{"demo/other#1"}, 0},
		{"no match is an empty list", "is:pr repo:demo/hello author:nobody", []string{}, 0},
		{"every page is followed", "repo:demo/other author:many", nil, 130},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			found, err := c.FindIssues(context.Background(), tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if len(found) != tc.count {
					t.Errorf("found %d, want %d", len(found), tc.count)
				}
				return
			}
			got := map[string]bool{}
			for _, f := range found {
				got[fmt.Sprintf("%s/%s#%d", f.Org, f.Repo, f.Number)] = true
			}
			want := map[string]bool{}
			for _, w := range tc.want {
				want[w] = true
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("found %v, want %v", got, want)
			}
		})
	}

	found, err := c.FindIssues(context.Background(), "is:pr repo:demo/hello author:alice is:open")
	if err != nil {
		t.Fatal(err)
	}
	want := []FoundIssue{{Org: "demo", Repo: "hello", Number: 1, Title: "First", State: "open", Author: "alice", IsPR: true,
		Labels: []string{"lgtm"}, HTMLURL: found[0].HTMLURL}}
	if !reflect.DeepEqual(found, want) || found[0].HTMLURL == "" {
		t.Errorf("found %+v, want %+v", found, want)
	}
}
