package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// CheckRun is a check run, the GitHub App alternative to a status.
type CheckRun struct {
	ID         int64
	Name       string
	HeadSHA    string
	Status     string // queued, in_progress, completed
	Conclusion string // one of GitHub's check conclusions: success, failure, neutral, timed_out, ...
	DetailsURL string
	Title      string
	Summary    string
}

// CheckRunClient writes and reads check runs.
type CheckRunClient interface {
	CreateCheckRun(ctx context.Context, org, repo string, run CheckRun) (int64, error)
	UpdateCheckRun(ctx context.Context, org, repo string, run CheckRun) error
	ListCheckRuns(ctx context.Context, org, repo, ref string) ([]CheckRun, error)
}

var _ CheckRunClient = (*Client)(nil)

func checkOutput(run CheckRun) *gh.CheckRunOutput {
	if run.Title == "" && run.Summary == "" {
		return nil
	}
	return &gh.CheckRunOutput{Title: gh.String(run.Title), Summary: gh.String(run.Summary)}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CreateCheckRun creates a check run and returns its ID.
func (c *Client) CreateCheckRun(ctx context.Context, org, repo string, run CheckRun) (int64, error) {
	cr, _, err := c.gh.Checks.CreateCheckRun(ctx, org, repo, gh.CreateCheckRunOptions{Name: run.Name, HeadSHA: run.HeadSHA,
		Status: optional(run.Status), Conclusion: optional(run.Conclusion), DetailsURL: optional(run.DetailsURL), Output: checkOutput(run)})
	if err != nil {
		return 0, fmt.Errorf("create check run %s on %s/%s@%s: %w", run.Name, org, repo, run.HeadSHA, err)
	}
	return cr.GetID(), nil
}

// UpdateCheckRun updates the check run run.ID.
func (c *Client) UpdateCheckRun(ctx context.Context, org, repo string, run CheckRun) error {
	_, _, err := c.gh.Checks.UpdateCheckRun(ctx, org, repo, run.ID, gh.UpdateCheckRunOptions{Name: run.Name,
		Status: optional(run.Status), Conclusion: optional(run.Conclusion), DetailsURL: optional(run.DetailsURL), Output: checkOutput(run)})
	if err != nil {
		return fmt.Errorf("update check run %d (%s) of %s/%s: %w", run.ID, run.Name, org, repo, err)
	}
	return nil
}

// ListCheckRuns lists the check runs of a ref.
func (c *Client) ListCheckRuns(ctx context.Context, org, repo, ref string) ([]CheckRun, error) {
	var out []CheckRun
	opt := &gh.ListCheckRunsOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		res, resp, err := c.gh.Checks.ListCheckRunsForRef(ctx, org, repo, ref, opt)
		if err != nil {
			return nil, fmt.Errorf("list check runs of %s/%s@%s: %w", org, repo, ref, err)
		}
		for _, cr := range res.CheckRuns {
			out = append(out, CheckRun{ID: cr.GetID(), Name: cr.GetName(), HeadSHA: cr.GetHeadSHA(), Status: cr.GetStatus(),
				Conclusion: cr.GetConclusion(), DetailsURL: cr.GetDetailsURL(), Title: cr.GetOutput().GetTitle(), Summary: cr.GetOutput().GetSummary()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}
