package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// Milestone is a repository milestone.
type Milestone struct {
	Number int
	Title  string
	State  string // open or closed
}

// ListMilestones lists the open milestones of a repository.
func (c *Client) ListMilestones(ctx context.Context, org, repo string) ([]Milestone, error) {
	var out []Milestone
	opt := &gh.MilestoneListOptions{State: "open", ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.Issues.ListMilestones(ctx, org, repo, opt)
		if err != nil {
			return nil, fmt.Errorf("list milestones of %s/%s: %w", org, repo, err)
		}
		for _, m := range page {
			out = append(out, Milestone{Number: m.GetNumber(), Title: m.GetTitle(), State: m.GetState()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// SetMilestone puts an issue or pull request in the milestone numbered
// milestone.
func (c *Client) SetMilestone(ctx context.Context, org, repo string, number, milestone int) error {
	if _, _, err := c.gh.Issues.Edit(ctx, org, repo, number, &gh.IssueRequest{Milestone: &milestone}); err != nil {
		return fmt.Errorf("set milestone %d of %s/%s#%d: %w", milestone, org, repo, number, err)
	}
	return nil
}

// ClearMilestone takes an issue or pull request out of its milestone.
func (c *Client) ClearMilestone(ctx context.Context, org, repo string, number int) error {
	if _, _, err := c.gh.Issues.RemoveMilestone(ctx, org, repo, number); err != nil {
		return fmt.Errorf("clear the milestone of %s/%s#%d: %w", org, repo, number, err)
	}
	return nil
}

// IssueMilestone returns the title of the milestone an issue or pull
// request is in, "" when none.
func (c *Client) IssueMilestone(ctx context.Context, org, repo string, number int) (string, error) {
	i, _, err := c.gh.Issues.Get(ctx, org, repo, number)
	if err != nil {
		return "", fmt.Errorf("get %s/%s#%d: %w", org, repo, number, err)
	}
	return i.GetMilestone().GetTitle(), nil
}
