package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// PullRequestCommit is one commit of a pull request.
type PullRequestCommit struct {
	SHA     string
	Message string
	// Author is the GitHub login of the commit's author, "" when GitHub
	// ties the commit's e-mail to no account.
	Author string
	// Parents are the SHAs of the commit's parents; a merge commit has
	// more than one.
	Parents []string
}

// ListPullRequestCommits lists a pull request's commits, oldest first
// (GitHub lists at most 250).
func (c *Client) ListPullRequestCommits(ctx context.Context, org, repo string, number int) ([]PullRequestCommit, error) {
	var out []PullRequestCommit
	opt := &gh.ListOptions{PerPage: perPage}
	for {
		page, resp, err := c.gh.PullRequests.ListCommits(ctx, org, repo, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list commits of %s/%s#%d: %w", org, repo, number, err)
		}
		for _, rc := range page {
			pc := PullRequestCommit{SHA: rc.GetSHA(), Message: rc.GetCommit().GetMessage(), Author: rc.GetAuthor().GetLogin()}
			for _, p := range rc.Parents {
				pc.Parents = append(pc.Parents, p.GetSHA())
			}
			out = append(out, pc)
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// ListOpenPullRequests lists the open pull requests of a repository whose
// base is branch (every base when branch is empty). GitHub's lists leave
// out mergeability: read it with GetPullRequest.
func (c *Client) ListOpenPullRequests(ctx context.Context, org, repo, branch string) ([]PullRequest, error) {
	var out []PullRequest
	opt := &gh.PullRequestListOptions{State: "open", Base: branch, ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.PullRequests.List(ctx, org, repo, opt)
		if err != nil {
			return nil, fmt.Errorf("list open pull requests of %s/%s: %w", org, repo, err)
		}
		for _, p := range page {
			out = append(out, pullRequestOf(p))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}
