package github

import (
	"context"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
)

func TestPullRequestCommitsAndOpenPullRequests(t *testing.T) {
	seeded := seed.New().User("the-bot", "bot-token").User("author", "author-token").Collaborators("write", "the-bot").
		Pull("author", "One", sandbox.FileChanges{"a.txt": "a\n"}).
		Pull("author", "Two", sandbox.FileChanges{"b.txt": "b\n"}).Seed()
	_, url := serveSandbox(t, sandbox.Options{Seed: seeded})
	c := sandboxClient(t, url, "bot-token", ClientOptions{})
	ctx := context.Background()
	pr, err := c.GetPullRequest(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	commits, err := c.ListPullRequestCommits(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != 1 || commits[0].SHA != pr.HeadSHA || len(commits[0].Parents) != 1 {
		t.Errorf("commits %+v, want the head %s with one parent", commits, pr.HeadSHA)
	}
	open, err := c.ListOpenPullRequests(ctx, "demo", "hello", "main")
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 2 {
		t.Errorf("open pull requests into main: %+v, want #1 and #2", open)
	}
	if other, err := c.ListOpenPullRequests(ctx, "demo", "hello", "release"); err != nil || len(other) != 0 {
		t.Errorf("open pull requests into release: %+v, %v; want none", other, err)
	}
}
