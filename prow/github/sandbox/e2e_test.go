package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"
)

func TestGoGitHubDrivesAPullRequestFromCommentToMerge(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	alice, bot := e.client("alice-token"), e.client("bot-token")

	pr := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1))
	main := must[*gh.Reference](t)(bot.Git.GetRef(ctx, "demo", "hello", "heads/main"))
	if pr.GetUser().GetLogin() != "bob" || pr.GetBase().GetRef() != "main" || pr.GetBase().GetSHA() != main.GetObject().GetSHA() {
		t.Fatalf("pull request #1: author %s, base %s at %s; want bob's, on main at %s", pr.GetUser().GetLogin(), pr.GetBase().GetRef(), pr.GetBase().GetSHA(), main.GetObject().GetSHA())
	}
	if len(pr.GetHead().GetSHA()) != 40 || !pr.GetMergeable() || pr.GetChangedFiles() != 3 || pr.GetCommits() != 1 {
		t.Fatalf("pull request #1: head %q mergeable %v, %d files, %d commits; want a real head, mergeable, 3 files, 1 commit",
			pr.GetHead().GetSHA(), pr.GetMergeable(), pr.GetChangedFiles(), pr.GetCommits())
	}

	must[*gh.IssueComment](t)(alice.Issues.CreateComment(ctx, "demo", "hello", 1, &gh.IssueComment{Body: gh.String("/lgtm")}))
	comments := must[[]*gh.IssueComment](t)(bot.Issues.ListComments(ctx, "demo", "hello", 1, nil))
	if len(comments) != 1 || comments[0].GetUser().GetLogin() != "alice" || comments[0].GetBody() != "/lgtm" {
		t.Fatalf("comments %v: want alice's /lgtm", comments)
	}
	must[[]*gh.Label](t)(bot.Issues.AddLabelsToIssue(ctx, "demo", "hello", 1, []string{"lgtm"}))
	must[*gh.RepoStatus](t)(bot.Repositories.CreateStatus(ctx, "demo", "hello", pr.GetHead().GetSHA(),
		&gh.RepoStatus{State: gh.String("success"), Context: gh.String("ci/unit"), TargetURL: gh.String("https://ci.example/1")}))
	combined := must[*gh.CombinedStatus](t)(bot.Repositories.GetCombinedStatus(ctx, "demo", "hello", pr.GetHead().GetSHA(), nil))
	if combined.GetState() != "success" || combined.GetTotalCount() != 1 {
		t.Errorf("combined status %s of %d; want success of 1", combined.GetState(), combined.GetTotalCount())
	}
	must[*gh.PullRequest](t)(bot.PullRequests.RequestReviewers(ctx, "demo", "hello", 1, gh.ReviewersRequest{Reviewers: []string{"carol"}}))
	must[*gh.PullRequestReview](t)(alice.PullRequests.CreateReview(ctx, "demo", "hello", 1, &gh.PullRequestReviewRequest{Event: gh.String("APPROVE")}))
	res := must[*gh.PullRequestMergeResult](t)(bot.PullRequests.Merge(ctx, "demo", "hello", 1, "", &gh.PullRequestOptions{SHA: pr.GetHead().GetSHA()}))
	if !res.GetMerged() || len(res.GetSHA()) != 40 {
		t.Fatalf("merge result %v", res)
	}

	after := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1))
	main = must[*gh.Reference](t)(bot.Git.GetRef(ctx, "demo", "hello", "heads/main"))
	if !after.GetMerged() || after.GetState() != "closed" || after.GetMergeCommitSHA() != res.GetSHA() || main.GetObject().GetSHA() != res.GetSHA() {
		t.Errorf("after the merge: merged %v state %s merge commit %s, main at %s; want merged and closed, main at %s",
			after.GetMerged(), after.GetState(), after.GetMergeCommitSHA(), main.GetObject().GetSHA(), res.GetSHA())
	}
	readme, _, _, err := bot.Repositories.GetContents(ctx, "demo", "hello", "README.md", &gh.RepositoryContentGetOptions{Ref: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if content, _ := readme.GetContent(); content != "hello world\n" {
		t.Errorf("README.md on main after the merge is %q", content)
	}
	var gone *gh.ErrorResponse
	if _, _, _, err := bot.Repositories.GetContents(ctx, "demo", "hello", "docs/guide.md", nil); !errors.As(err, &gone) || gone.Response.StatusCode != http.StatusNotFound {
		t.Errorf("docs/guide.md, which the pull request deleted, is still there: %v", err)
	}

	e.flush()
	e.hooks.checkPayloads(t)
	got := e.hooks.all()
	want := []string{"issue_comment.created", "pull_request.labeled", "status", "pull_request.review_requested",
		"pull_request_review.submitted", "pull_request.closed", "push"}
	if names := e.hooks.names(0); !slices.Equal(names, want) {
		t.Fatalf("webhooks %v, want %v", names, want)
	}
	for _, r := range got {
		if r.Signature != signature(r.Body) || r.UserAgent != "GitHub-Hookshot/sandbox" || r.ContentType != "application/json" || len(r.Delivery) != 36 {
			t.Errorf("%s: signature %q, user agent %q, content type %q, delivery %q; want a valid signature and GitHub's headers",
				r.name(), r.Signature, r.UserAgent, r.ContentType, r.Delivery)
		}
	}
	p := payload(t, got[0])
	if dig(p, "comment", "body") != "/lgtm" || dig(p, "comment", "user", "login") != "alice" || dig(p, "issue", "number") != 1.0 ||
		dig(p, "issue", "pull_request") == nil || dig(p, "repository", "full_name") != "demo/hello" || dig(p, "sender", "login") != "alice" ||
		dig(p, "organization", "login") != "demo" {
		t.Errorf("issue_comment payload %s lacks what GitHub sends", got[0].Body)
	}
	if closed := payload(t, got[5]); dig(closed, "pull_request", "merged") != true {
		t.Errorf("pull_request.closed does not say merged: %s", got[5].Body)
	}
	push := payload(t, got[6])
	if dig(push, "ref") != "refs/heads/main" || dig(push, "after") != res.GetSHA() || dig(push, "before") != pr.GetBase().GetSHA() {
		t.Errorf("push ref %v from %v to %v; want main from %s to %s", dig(push, "ref"), dig(push, "before"), dig(push, "after"), pr.GetBase().GetSHA(), res.GetSHA())
	}
	if n := len(dig(push, "commits").([]any)); n != 2 || dig(push, "head_commit", "id") != res.GetSHA() {
		t.Errorf("push lists %d commits ending with %v; want the pull request's and the merge commit %s", n, dig(push, "head_commit", "id"), res.GetSHA())
	}
	var files []string
	for _, kind := range []string{"added", "removed", "modified"} {
		for _, f := range dig(push, "head_commit", kind).([]any) {
			files = append(files, kind+" "+f.(string))
		}
	}
	if strings.Join(files, ", ") != "added docs/new.md, removed docs/guide.md, modified README.md" {
		t.Errorf("the merge commit changed %v", files)
	}
	for _, d := range e.srv.Deliveries() {
		if !d.Delivered || d.StatusCode != http.StatusOK || d.Attempts != 1 {
			t.Errorf("delivery %s %s: delivered %v status %d after %d attempts", d.ID, d.Event, d.Delivered, d.StatusCode, d.Attempts)
		}
	}
}
