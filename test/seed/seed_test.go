package seed

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
)

func TestBuilder(t *testing.T) {
	got := New("alice").Bot("bot", "bot-token").Members("alice").Collaborators("admin", "alice").
		Labels("lgtm").Files(sandbox.FileChanges{"a": "a\n"}).Files(sandbox.FileChanges{"b": "b\n"}).
		Pull("alice", "First", nil).Issue("alice", "A bug", "lgtm").
		PullWith(sandbox.SeedPull{Number: 7, Author: "alice", Title: "Seventh"}).Pull("alice", "Next", nil).
		Repo(sandbox.SeedRepo{Name: "demo/other"}).IssueWith(sandbox.SeedIssue{Repo: "demo/other", Author: "alice", Title: "Elsewhere"}).
		Seed()
	want := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: "alice", Token: "alice"}, {Login: "bot", Token: "bot-token", Bot: true}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{"bot", "alice"}}},
		Repos: []sandbox.SeedRepo{
			{Name: "demo/hello", Collaborators: map[string]string{"bot": "write", "alice": "admin"},
				Labels: []sandbox.SeedLabel{{Name: "lgtm"}}, Files: sandbox.FileChanges{"a": "a\n", "b": "b\n"}},
			{Name: "demo/other"},
		},
		Pulls: []sandbox.SeedPull{
			{Repo: "demo/hello", Number: 1, Author: "alice", Title: "First"},
			{Repo: "demo/hello", Number: 7, Author: "alice", Title: "Seventh"},
			{Repo: "demo/hello", Number: 8, Author: "alice", Title: "Next"},
		},
		Issues: []sandbox.SeedIssue{
			{Repo: "demo/hello", Number: 2, Author: "alice", Title: "A bug", Labels: []string{"lgtm"}},
			{Repo: "demo/other", Author: "alice", Title: "Elsewhere"}, // the sandbox numbers it
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("seed:\n got %+v\nwant %+v", got, want)
	}
	srv, err := sandbox.New(sandbox.Options{Seed: got, GitDir: t.TempDir()})
	if err != nil {
		t.Fatalf("the sandbox refuses the seed: %v", err)
	}
	srv.Close()
}
