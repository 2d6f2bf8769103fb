package github

import (
	"context"
	"fmt"
	"testing"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/seed"
	"github.com/prowbot/prow/test/testlog"
)

func TestClientSurvivesSandboxFaultsApplyingEachWriteOnce(t *testing.T) {
	seeded := seed.New().User("the-bot", "bot-token").User("author", "author-token").
		Members("the-bot").Collaborators("write", "the-bot").Labels("lgtm", "approved").
		Pull("author", "Change", sandbox.FileChanges{"a.txt": "a\n"}).Seed()
	srv, url := serveSandbox(t, sandbox.Options{Seed: seeded, FaultSeed: 7})

	s := &sleeps{}
	c := sandboxClient(t, url, "bot-token", ClientOptions{Sleep: s.sleep, MaxRetries: 10})
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

// serveSandbox serves a sandbox of o (in a temporary git dir, logging
// nowhere unless o says otherwise) until the test ends; it returns the
// sandbox and its URL.
func serveSandbox(t testing.TB, o sandbox.Options) (*sandbox.Server, string) {
	t.Helper()
	srv, ts := seed.ServeWith(t, o)
	return srv, ts.URL
}

// sandboxClient is a client of the sandbox at url, authenticated with
// token, under o's other options.
func sandboxClient(t testing.TB, url, token string, o ClientOptions) *Client {
	t.Helper()
	o.Endpoint, o.TokenPath = url, tokenFile(t, token)
	if o.Logger == nil {
		o.Logger = testlog.Discard()
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
