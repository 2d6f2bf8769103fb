package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	gh "github.com/google/go-github/v60/github"
)

// GetPullRequest reads a pull request.
func (c *Client) GetPullRequest(ctx context.Context, org, repo string, number int) (PullRequest, error) {
	p, _, err := c.gh.PullRequests.Get(ctx, org, repo, number)
	if err != nil {
		return PullRequest{}, fmt.Errorf("get %s/%s#%d: %w", org, repo, number, err)
	}
	return pullRequestOf(p), nil
}

// pullRequestOf is the one conversion of go-github's pull request.
func pullRequestOf(p *gh.PullRequest) PullRequest {
	pr := PullRequest{Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(), State: p.GetState(), Draft: p.GetDraft(),
		Merged: p.GetMerged(), Mergeable: p.Mergeable, Author: p.GetUser().GetLogin(), AuthorAssociation: p.GetAuthorAssociation(),
		BaseRef: p.GetBase().GetRef(), BaseSHA: p.GetBase().GetSHA(), BaseRepo: p.GetBase().GetRepo().GetFullName(),
		HeadRef: p.GetHead().GetRef(), HeadSHA: p.GetHead().GetSHA(), HeadRepo: p.GetHead().GetRepo().GetFullName(),
		HTMLURL: p.GetHTMLURL(), Milestone: p.GetMilestone().GetTitle(), ReviewComments: p.GetReviewComments(),
		MergeCommitSHA: p.GetMergeCommitSHA(), MergeableState: p.GetMergeableState(), Additions: p.GetAdditions(),
		Deletions: p.GetDeletions(), ChangedFiles: p.GetChangedFiles(), CreatedAt: p.GetCreatedAt().Time}
	for _, u := range p.Assignees {
		pr.Assignees = append(pr.Assignees, u.GetLogin())
	}
	for _, u := range p.RequestedReviewers {
		pr.RequestedReviewers = append(pr.RequestedReviewers, u.GetLogin())
	}
	for _, l := range p.Labels {
		pr.Labels = append(pr.Labels, l.GetName())
	}
	return pr
}

// GetPullRequestChanges lists every file a pull request changes.
func (c *Client) GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]PullRequestChange, error) {
	var out []PullRequestChange
	opt := &gh.ListOptions{PerPage: perPage}
	for {
		page, resp, err := c.gh.PullRequests.ListFiles(ctx, org, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list files of %s/%s#%d: %w", org, repo, number, err)
		}
		for _, f := range page {
			out = append(out, PullRequestChange{Filename: f.GetFilename(), PreviousFilename: f.GetPreviousFilename(), Status: f.GetStatus(),
				Additions: f.GetAdditions(), Deletions: f.GetDeletions(), Changes: f.GetChanges()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// Merge merges a pull request if its head is still sha.
func (c *Client) Merge(ctx context.Context, org, repo string, number int, sha, method, title, message string) error {
	_, err := c.MergeCommit(ctx, org, repo, number, sha, method, title, message)
	return err
}

// MergeCommit is Merge returning the SHA of the commit that landed on the
// base branch.
func (c *Client) MergeCommit(ctx context.Context, org, repo string, number int, sha, method, title, message string) (string, error) {
	res, _, err := c.gh.PullRequests.Merge(ctx, org, repo, number, message, &gh.PullRequestOptions{SHA: sha, MergeMethod: method, CommitTitle: title})
	if err != nil {
		return "", fmt.Errorf("merge %s/%s#%d at %s: %w", org, repo, number, sha, err)
	}
	return res.GetSHA(), nil
}

// MergeRefused says whether err is GitHub refusing a merge: 405 (the pull
// request cannot merge) or 409 (its head moved), with GitHub's reason.
func MergeRefused(err error) (reason string, refused bool) {
	var e *gh.ErrorResponse
	if !errors.As(err, &e) || e.Response == nil {
		return "", false
	}
	switch e.Response.StatusCode {
	case http.StatusMethodNotAllowed, http.StatusConflict:
		return e.Message, true
	}
	return "", false
}

// ListReviews lists the reviews of a pull request.
func (c *Client) ListReviews(ctx context.Context, org, repo string, number int) ([]Review, error) {
	var out []Review
	opt := &gh.ListOptions{PerPage: perPage}
	for {
		page, resp, err := c.gh.PullRequests.ListReviews(ctx, org, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list reviews of %s/%s#%d: %w", org, repo, number, err)
		}
		for _, r := range page {
			out = append(out, Review{ID: r.GetID(), User: r.GetUser().GetLogin(), Body: r.GetBody(), State: r.GetState(), SubmittedAt: r.GetSubmittedAt().Time})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// ListReviewComments lists the comments on lines of a pull request's
// diff (as IssueComments: text, author and times).
func (c *Client) ListReviewComments(ctx context.Context, org, repo string, number int) ([]IssueComment, error) {
	var out []IssueComment
	opt := &gh.PullRequestListCommentsOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.PullRequests.ListComments(ctx, org, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list review comments of %s/%s#%d: %w", org, repo, number, err)
		}
		for _, rc := range page {
			out = append(out, IssueComment{ID: rc.GetID(), Body: rc.GetBody(), User: rc.GetUser().GetLogin(), HTMLURL: rc.GetHTMLURL(),
				CreatedAt: rc.GetCreatedAt().Time, UpdatedAt: rc.GetUpdatedAt().Time})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// RequestReview asks users and teams to review.
func (c *Client) RequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error {
	if _, _, err := c.gh.PullRequests.RequestReviewers(ctx, org, repo, number, gh.ReviewersRequest{Reviewers: users, TeamReviewers: teams}); err != nil {
		return fmt.Errorf("request reviews on %s/%s#%d: %w", org, repo, number, err)
	}
	return nil
}

// UnrequestReview withdraws review requests.
func (c *Client) UnrequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error {
	if _, err := c.gh.PullRequests.RemoveReviewers(ctx, org, repo, number, gh.ReviewersRequest{Reviewers: users, TeamReviewers: teams}); err != nil {
		return fmt.Errorf("withdraw review requests on %s/%s#%d: %w", org, repo, number, err)
	}
	return nil
}
