package github

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	gh "github.com/google/go-github/v60/github"
)

// This file manages a repository's labels themselves (not which issues
// carry them): what label-sync needs.

// labelPath is the API path of org/repo's label name; names such as
// do-not-merge/hold hold slashes, so it is escaped.
func labelPath(org, repo, name string) string {
	return fmt.Sprintf("repos/%s/%s/labels/%s", url.PathEscape(org), url.PathEscape(repo), url.PathEscape(name))
}

// CreateRepoLabel creates the label l in org/repo.
func (c *Client) CreateRepoLabel(ctx context.Context, org, repo string, l Label) error {
	in := &gh.Label{Name: gh.String(l.Name), Color: gh.String(l.Color), Description: gh.String(l.Description)}
	if _, _, err := c.gh.Issues.CreateLabel(ctx, org, repo, in); err != nil {
		return fmt.Errorf("create label %s in %s/%s: %w", l.Name, org, repo, err)
	}
	return nil
}

// labelEdit is the body of GitHub's label update: new_name renames the
// label in place, so the issues and pull requests carrying it keep it.
type labelEdit struct {
	NewName     string `json:"new_name"`
	Color       string `json:"color"`
	Description string `json:"description"`
}

// UpdateRepoLabel gives org/repo's label name l's name, color and
// description; a different name renames it where it is used.
func (c *Client) UpdateRepoLabel(ctx context.Context, org, repo, name string, l Label) error {
	req, err := c.gh.NewRequest(http.MethodPatch, labelPath(org, repo, name), labelEdit{NewName: l.Name, Color: l.Color, Description: l.Description})
	if err != nil {
		return fmt.Errorf("update label %s in %s/%s: %w", name, org, repo, err)
	}
	if _, err := c.gh.Do(ctx, req, nil); err != nil {
		return fmt.Errorf("update label %s in %s/%s: %w", name, org, repo, err)
	}
	return nil
}

// DeleteRepoLabel deletes org/repo's label name, and with it the label from
// every issue and pull request.
func (c *Client) DeleteRepoLabel(ctx context.Context, org, repo, name string) error {
	req, err := c.gh.NewRequest(http.MethodDelete, labelPath(org, repo, name), nil)
	if err != nil {
		return fmt.Errorf("delete label %s in %s/%s: %w", name, org, repo, err)
	}
	if _, err := c.gh.Do(ctx, req, nil); err != nil {
		return fmt.Errorf("delete label %s in %s/%s: %w", name, org, repo, err)
	}
	return nil
}

// ListLabeledIssues lists the numbers of org/repo's issues and pull
// requests, open or closed, that carry label.
func (c *Client) ListLabeledIssues(ctx context.Context, org, repo, label string) ([]int, error) {
	var out []int
	opt := &gh.IssueListByRepoOptions{State: "all", Labels: []string{label}, ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		page, resp, err := c.gh.Issues.ListByRepo(ctx, org, repo, opt)
		if err != nil {
			return nil, fmt.Errorf("list issues of %s/%s labeled %s: %w", org, repo, label, err)
		}
		for _, i := range page {
			out = append(out, i.GetNumber())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}
