package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

func TestEveryWebhookMatchesGitHubsPublishedSchema(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.InstallationID = 7 })
	ctx := context.Background()
	alice, bob, bot := e.client("alice-token"), e.client("bob-token"), e.client("bot-token")

	// issues and issue_comment
	issue := must[*gh.Issue](t)(bob.Issues.Create(ctx, "demo", "hello", &gh.IssueRequest{Title: gh.String("Crash"), Labels: &[]string{"kind/bug"}}))
	n := issue.GetNumber()
	must[*gh.Issue](t)(bob.Issues.Edit(ctx, "demo", "hello", n, &gh.IssueRequest{Title: gh.String("Crash on start"), Body: gh.String("Always.")}))
	must[*gh.Issue](t)(alice.Issues.Edit(ctx, "demo", "hello", n, &gh.IssueRequest{Milestone: gh.Int(1)}))
	must[*gh.Issue](t)(alice.Issues.AddAssignees(ctx, "demo", "hello", n, []string{"bob"}))
	must[*gh.Issue](t)(alice.Issues.RemoveAssignees(ctx, "demo", "hello", n, []string{"bob"}))
	ok(t)(bot.Issues.RemoveLabelForIssue(ctx, "demo", "hello", n, "kind%2Fbug"))
	c := must[*gh.IssueComment](t)(alice.Issues.CreateComment(ctx, "demo", "hello", n, &gh.IssueComment{Body: gh.String("/close")}))
	must[*gh.IssueComment](t)(alice.Issues.EditComment(ctx, "demo", "hello", c.GetID(), &gh.IssueComment{Body: gh.String("/close please")}))
	ok(t)(alice.Issues.DeleteComment(ctx, "demo", "hello", c.GetID()))
	must[*gh.Issue](t)(alice.Issues.Edit(ctx, "demo", "hello", n, &gh.IssueRequest{State: gh.String("closed")}))
	must[*gh.Issue](t)(alice.Issues.Edit(ctx, "demo", "hello", n, &gh.IssueRequest{State: gh.String("open")}))
	if a := e.do("alice-token", http.MethodPatch, "/repos/demo/hello/issues/"+strconv.Itoa(n), map[string]any{"milestone": nil}); a.code != http.StatusOK {
		t.Fatalf("clear the milestone: %d %s", a.code, a.body)
	}

	// pull_request, reviews, push, status, check_run
	must[string](t)(pushed(e.srv.PushToBranch(ctx, "demo/hello", "feature", sandbox.Push{Files: sandbox.FileChanges{"feature.txt": "on\n"}, Author: "bob"})))
	pr := must[*gh.PullRequest](t)(bob.PullRequests.Create(ctx, "demo", "hello", &gh.NewPullRequest{Title: gh.String("Feature"), Head: gh.String("feature"), Base: gh.String("main")}))
	p := pr.GetNumber()
	must[*gh.PullRequest](t)(bob.PullRequests.Edit(ctx, "demo", "hello", p, &gh.PullRequest{Body: gh.String("Adds the feature.")}))
	must[[]*gh.Label](t)(bot.Issues.AddLabelsToIssue(ctx, "demo", "hello", p, []string{"lgtm"}))
	ok(t)(bot.Issues.RemoveLabelForIssue(ctx, "demo", "hello", p, "lgtm"))
	must[*gh.Issue](t)(bot.Issues.AddAssignees(ctx, "demo", "hello", p, []string{"alice"}))
	must[*gh.Issue](t)(bot.Issues.RemoveAssignees(ctx, "demo", "hello", p, []string{"alice"}))
	must[*gh.PullRequest](t)(bot.PullRequests.RequestReviewers(ctx, "demo", "hello", p, gh.ReviewersRequest{Reviewers: []string{"alice", "eve"}}))
	ok(t)(bot.PullRequests.RemoveReviewers(ctx, "demo", "hello", p, gh.ReviewersRequest{Reviewers: []string{"eve"}}))
	head := must[string](t)(pushed(e.srv.PushToPull(ctx, "demo/hello", p, sandbox.Push{Files: sandbox.FileChanges{"feature.txt": "on, really\n"}})))
	if err := e.srv.SetDraft(ctx, "demo/hello", p, true); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetDraft(ctx, "demo/hello", p, false); err != nil {
		t.Fatal(err)
	}
	rv := must[*gh.PullRequestReview](t)(alice.PullRequests.CreateReview(ctx, "demo", "hello", p, &gh.PullRequestReviewRequest{Event: gh.String("APPROVE"),
		Comments: []*gh.DraftReviewComment{{Path: gh.String("feature.txt"), Line: gh.Int(1), Body: gh.String("Nice")}}}))
	must[*gh.PullRequestReview](t)(bot.PullRequests.DismissReview(ctx, "demo", "hello", p, rv.GetID(), &gh.PullRequestReviewDismissalRequest{Message: gh.String("New commits")}))
	must[*gh.RepoStatus](t)(bot.Repositories.CreateStatus(ctx, "demo", "hello", head, &gh.RepoStatus{State: gh.String("failure"), Context: gh.String("ci")}))
	run := must[*gh.CheckRun](t)(bot.Checks.CreateCheckRun(ctx, "demo", "hello", gh.CreateCheckRunOptions{Name: "lint", HeadSHA: head}))
	must[*gh.CheckRun](t)(bot.Checks.UpdateCheckRun(ctx, "demo", "hello", run.GetID(), gh.UpdateCheckRunOptions{Name: "lint", Conclusion: gh.String("neutral")}))
	must[*gh.PullRequest](t)(bob.PullRequests.Edit(ctx, "demo", "hello", p, &gh.PullRequest{State: gh.String("closed")}))
	must[*gh.PullRequest](t)(bob.PullRequests.Edit(ctx, "demo", "hello", p, &gh.PullRequest{State: gh.String("open")}))

	e.flush()
	e.hooks.checkPayloads(t)
	got := e.hooks.names(0)
	for _, want := range []string{"issues.opened", "issues.labeled", "issues.edited", "issues.milestoned", "issues.assigned", "issues.unassigned",
		"issues.unlabeled", "issue_comment.created", "issue_comment.edited", "issue_comment.deleted", "issues.closed", "issues.reopened",
		"issues.demilestoned", "push", "pull_request.opened", "pull_request.edited", "pull_request.labeled", "pull_request.unlabeled",
		"pull_request.assigned", "pull_request.unassigned", "pull_request.review_requested", "pull_request.review_request_removed",
		"pull_request.synchronize", "pull_request.converted_to_draft", "pull_request.ready_for_review", "pull_request_review.submitted",
		"pull_request_review_comment.created", "pull_request_review.dismissed", "status", "check_run.created", "check_run.completed",
		"pull_request.closed", "pull_request.reopened"} {
		if !slices.Contains(got, want) {
			t.Errorf("no %s webhook among %v", want, got)
		}
	}
	if k := slices.Index(got, "issues.opened"); k < 0 || k+1 >= len(got) || got[k+1] != "issues.labeled" {
		t.Errorf("an issue opened with a label sends opened, then labeled: %v", got)
	}
	for _, r := range e.hooks.all() {
		if id := dig(payload(t, r), "installation", "id"); id != 7.0 {
			t.Errorf("%s carries installation %v, want 7", r.name(), id)
		}
		if r.name() == "pull_request.synchronize" {
			if p := payload(t, r); dig(p, "after") != head || dig(p, "before") != pr.GetHead().GetSHA() || dig(p, "pull_request", "head", "sha") != head {
				t.Errorf("synchronize goes from %v to %v (head %v); want %s to %s", dig(p, "before"), dig(p, "after"), dig(p, "pull_request", "head", "sha"), pr.GetHead().GetSHA(), head)
			}
		}
	}
}

func TestWebhookDelivery(t *testing.T) {
	cases := []struct {
		name          string
		failFirst     int
		wantAttempts  int
		wantDelivered bool
	}{
		{"is sent once to a receiver that answers", 0, 1, true},
		{"is retried while the receiver answers 500", 2, 3, true},
		{"gives up after the last attempt and says so", 100, 4, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t)
			e.hooks.failFirst = tc.failFirst
			ctx := context.Background()
			bob := e.client("bob-token")
			must[*gh.IssueComment](t)(bob.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("first")}))
			must[*gh.IssueComment](t)(bob.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("second")}))
			e.flush()
			ds := e.srv.Deliveries()
			if len(ds) != 2 {
				t.Fatalf("%d deliveries, want 2", len(ds))
			}
			if d := ds[0]; d.Attempts != tc.wantAttempts || d.Delivered != tc.wantDelivered || (d.Error == "") != tc.wantDelivered {
				t.Errorf("first delivery: %d attempts, delivered %v, error %q; want %d attempts, delivered %v",
					d.Attempts, d.Delivered, d.Error, tc.wantAttempts, tc.wantDelivered)
			}
			if tc.wantDelivered {
				var bodies []string
				for _, r := range e.hooks.all() {
					bodies = append(bodies, dig(payload(t, r), "comment", "body").(string))
				}
				if !slices.Equal(bodies, []string{"first", "second"}) {
					t.Errorf("received %v, want first then second", bodies)
				}
			}
		})
	}
}

func TestAFullWebhookQueueDropsAndRecords(t *testing.T) {
	arrived, release := make(chan struct{}, 10), make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		arrived <- struct{}{}
		<-release
	}))
	defer slow.Close()
	e := start(t, func(o *sandbox.Options) { o.WebhookURL, o.WebhookQueue = slow.URL, 1 })
	ctx := context.Background()
	bob := e.client("bob-token")
	must[*gh.IssueComment](t)(bob.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("in flight")}))
	<-arrived
	must[*gh.IssueComment](t)(bob.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("queued")}))
	must[*gh.IssueComment](t)(bob.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("dropped")}))
	close(release)
	e.flush()
	var states []string
	for _, d := range e.srv.Deliveries() {
		states = append(states, fmt.Sprintf("delivered=%v %s", d.Delivered, d.Error))
	}
	want := []string{"delivered=false the webhook queue is full", "delivered=true ", "delivered=true "}
	if !slices.Equal(states, want) {
		t.Errorf("deliveries %q, want %q: the third is dropped (and logged first, as it never waited)", states, want)
	}
	if !strings.Contains(string(e.srv.Deliveries()[0].Payload), `"body":"dropped"`) {
		t.Errorf("the dropped delivery is not the third comment's")
	}
}
