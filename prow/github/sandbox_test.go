package github

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
)

func TestClientSurvivesSandboxFaultsApplyingEachWriteOnce(t *testing.T) {
	seed := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: "the-bot", Token: "bot-token"}, {Login: "author", Token: "author-token"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{"the-bot"}}},
		Repos: []sandbox.SeedRepo{{Name: "demo/hello", Collaborators: map[string]string{"the-bot": "write"},
			Labels: []sandbox.SeedLabel{{Name: "lgtm"}, {Name: "approved"}}}},
		Pulls: []sandbox.SeedPull{{Repo: "demo/hello", Number: 1, Author: "author", Title: "Change", Files: map[string]string{"a.txt": "a\n"}}},
	}
	srv, err := sandbox.New(sandbox.Options{Seed: seed, GitDir: t.TempDir(), Logger: quietLog(), FaultSeed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.Close()

	s := &sleeps{}
	c, err := NewClient(ClientOptions{Endpoint: ts.URL, TokenPath: tokenFile(t, "bot-token"), Logger: quietLog(), Sleep: s.sleep, MaxRetries: 10})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pr, err := c.GetPullRequest(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(sandbox.Faults{Rate: 0.2})
	const n = 40
	for i := 0; i < n; i++ {
		if _, err := c.CreateComment(ctx, "demo", "hello", 1, fmt.Sprintf("comment %d", i)); err != nil {
			t.Fatalf("comment %d: %v", i, err)
		}
		if err := c.CreateStatus(ctx, "demo", "hello", pr.HeadSHA, Status{Context: fmt.Sprint("ctx-", i), State: "success"}); err != nil {
			t.Fatalf("status %d: %v", i, err)
		}
	}
	if err := c.AddLabels(ctx, "demo", "hello", 1, "lgtm"); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveLabel(ctx, "demo", "hello", 1, "approved"); err != nil {
		t.Fatal(err)
	}
	// A name with a slash goes through as one path segment.
	if err := c.AddLabels(ctx, "demo", "hello", 1, "do-not-merge/hold"); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveLabel(ctx, "demo", "hello", 1, "do-not-merge/hold"); err != nil {
		t.Fatal(err)
	}
	id, err := c.CreateCheckRun(ctx, "demo", "hello", CheckRun{Name: "unit", HeadSHA: pr.HeadSHA, Status: "in_progress"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateCheckRun(ctx, "demo", "hello", CheckRun{ID: id, Name: "unit", Conclusion: "failure", Title: "1 test failed", Summary: "TestX"}); err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(sandbox.Faults{})
	runs, err := c.ListCheckRuns(ctx, "demo", "hello", pr.HeadSHA)
	if err != nil || len(runs) != 1 || runs[0].Conclusion != "failure" || runs[0].Status != "completed" || runs[0].Title != "1 test failed" {
		t.Errorf("check runs %+v %v: want exactly one, completed with failure", runs, err)
	}
	comments, err := c.ListIssueComments(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(comments) != n {
		t.Errorf("%d comments on the PR, want exactly %d: each write applied once", len(comments), n)
	}
	statuses, err := c.ListStatuses(ctx, "demo", "hello", pr.HeadSHA)
	if err != nil || len(statuses) != n {
		t.Errorf("%d statuses (%v), want %d", len(statuses), err, n)
	}
	labels, err := c.GetIssueLabels(ctx, "demo", "hello", 1)
	if err != nil || len(labels) != 1 || labels[0].Name != "lgtm" {
		t.Errorf("labels %v %v", labels, err)
	}
	if len(s.got) == 0 {
		t.Error("a 20% fault rate should have caused retries")
	}
	t.Logf("%d retries over %d writes", len(s.got), 2*n+2)
}
