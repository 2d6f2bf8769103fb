package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// CreatePullRequest opens a pull request from head (a branch of the same
// repository, or "owner:branch") into base. Replayed deliveries are
// guarded by the caller (FindOpenPullRequests on the head first): GitHub
// itself refuses a second open pull request of the same head and base.
func (c *Client) CreatePullRequest(ctx context.Context, org, repo, title, body, head, base string) (PullRequest, error) {
	p, _, err := c.gh.PullRequests.Create(ctx, org, repo, &gh.NewPullRequest{Title: &title, Body: &body, Head: &head, Base: &base})
	if err != nil {
		return PullRequest{}, fmt.Errorf("open a pull request from %s into %s of %s/%s: %w", head, base, org, repo, err)
	}
	return PullRequest{Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(), State: p.GetState(), Author: p.GetUser().GetLogin(),
		BaseRef: p.GetBase().GetRef(), BaseSHA: p.GetBase().GetSHA(), HeadRef: p.GetHead().GetRef(), HeadSHA: p.GetHead().GetSHA(), HTMLURL: p.GetHTMLURL()}, nil
}

// FindOpenPullRequests lists the open pull requests of org/repo from head
// ("owner:branch") into base.
func (c *Client) FindOpenPullRequests(ctx context.Context, org, repo, head, base string) ([]PullRequest, error) {
	page, _, err := c.gh.PullRequests.List(ctx, org, repo, &gh.PullRequestListOptions{State: "open", Head: head, Base: base, ListOptions: gh.ListOptions{PerPage: perPage}})
	if err != nil {
		return nil, fmt.Errorf("list pull requests from %s into %s of %s/%s: %w", head, base, org, repo, err)
	}
	out := make([]PullRequest, 0, len(page))
	for _, p := range page {
		out = append(out, PullRequest{Number: p.GetNumber(), Title: p.GetTitle(), State: p.GetState(), Author: p.GetUser().GetLogin(),
			BaseRef: p.GetBase().GetRef(), HeadRef: p.GetHead().GetRef(), HeadSHA: p.GetHead().GetSHA(), HTMLURL: p.GetHTMLURL()})
	}
	return out, nil
}
