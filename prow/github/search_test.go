package github

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

func TestFindIssuesAgainstTheSandbox(t *testing.T) {
	b := seed.New().User("the-bot", "bot-token").User("alice", "").User("bob", "").User("many", "").Members("the-bot").
		Repo(sandbox.SeedRepo{Name: "demo/other"}).
		PullWith(sandbox.SeedPull{Author: "alice", Title: "First", Files: sandbox.FileChanges{"a": "a\n"}, Labels: []string{"lgtm"}}).
		Pull("bob", "Bob's", sandbox.FileChanges{"b": "b\n"}).
		PullWith(sandbox.SeedPull{Author: "alice", Title: "Second", Files: sandbox.FileChanges{"c": "c\n"}, State: "closed"}).
		PullWith(sandbox.SeedPull{Repo: "demo/other", Number: 1, Author: "alice", Title: "Elsewhere", Files: sandbox.FileChanges{"d": "d\n"}}).
		Issue("alice", "A bug")
	for i := 0; i < 130; i++ {
		b.IssueWith(sandbox.SeedIssue{Repo: "demo/other", Author: "many", Title: fmt.Sprint("issue ", i)})
	}
	_, url := serveSandbox(t, sandbox.Options{Seed: b.Seed()})
	c := sandboxClient(t, url, "bot-token", ClientOptions{})

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
