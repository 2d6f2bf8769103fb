package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// WorkflowRun is a GitHub Actions workflow run.
type WorkflowRun struct {
	ID         int64
	Name       string // the workflow's
	Event      string
	HeadBranch string
	HeadSHA    string
	Status     string // queued, in_progress, completed, ...
	// Conclusion is set once it completes: success, failure,
	// action_required (waiting for approval), ...
	Conclusion string
	Attempt    int
	HTMLURL    string
}

// WaitsForApproval says whether the run waits for someone with write
// access to approve it, as GitHub holds runs of fork pull requests from
// first-time contributors.
func (r WorkflowRun) WaitsForApproval() bool {
	return r.Status == "completed" && r.Conclusion == "action_required"
}

// Failed says whether the run completed with failed jobs that a rerun
// of failed jobs would run again.
func (r WorkflowRun) Failed() bool {
	if r.Status != "completed" {
		return false
	}
	switch r.Conclusion {
	case "failure", "cancelled", "timed_out", "startup_failure": //nolint:misspell // GitHub's spelling
		return true
	}
	return false
}

// ActionsClient reads and restarts GitHub Actions workflow runs.
type ActionsClient interface {
	ListWorkflowRuns(ctx context.Context, org, repo, headSHA string) ([]WorkflowRun, error)
	ApproveWorkflowRun(ctx context.Context, org, repo string, id int64) error
	RerunFailedJobs(ctx context.Context, org, repo string, id int64) error
}

var _ ActionsClient = (*Client)(nil)

// ListWorkflowRuns lists the workflow runs on a head commit, newest
// first.
func (c *Client) ListWorkflowRuns(ctx context.Context, org, repo, headSHA string) ([]WorkflowRun, error) {
	var out []WorkflowRun
	opt := &gh.ListWorkflowRunsOptions{HeadSHA: headSHA, ListOptions: gh.ListOptions{PerPage: perPage}}
	for {
		res, resp, err := c.gh.Actions.ListRepositoryWorkflowRuns(ctx, org, repo, opt)
		if err != nil {
			return nil, fmt.Errorf("list workflow runs of %s/%s@%s: %w", org, repo, headSHA, err)
		}
		for _, r := range res.WorkflowRuns {
			out = append(out, WorkflowRun{ID: r.GetID(), Name: r.GetName(), Event: r.GetEvent(), HeadBranch: r.GetHeadBranch(),
				HeadSHA: r.GetHeadSHA(), Status: r.GetStatus(), Conclusion: r.GetConclusion(), Attempt: r.GetRunAttempt(), HTMLURL: r.GetHTMLURL()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// ApproveWorkflowRun approves a run that waits for approval (a fork pull
// request's), which starts its jobs.
func (c *Client) ApproveWorkflowRun(ctx context.Context, org, repo string, id int64) error {
	req, err := c.gh.NewRequest("POST", fmt.Sprintf("repos/%s/%s/actions/runs/%d/approve", org, repo, id), nil)
	if err == nil {
		_, err = c.gh.Do(ctx, req, nil)
	}
	if err != nil {
		return fmt.Errorf("approve workflow run %d of %s/%s: %w", id, org, repo, err)
	}
	return nil
}

// RerunFailedJobs starts a new attempt of a run with its failed jobs.
func (c *Client) RerunFailedJobs(ctx context.Context, org, repo string, id int64) error {
	if _, err := c.gh.Actions.RerunFailedJobsByID(ctx, org, repo, id); err != nil {
		return fmt.Errorf("rerun the failed jobs of workflow run %d of %s/%s: %w", id, org, repo, err)
	}
	return nil
}

// CheckRunState is the commit-status state a check run counts as for
// merging and retesting: success when it concluded success, neutral or
// skipped, pending until it completes, failure otherwise.
func CheckRunState(status, conclusion string) string {
	switch {
	case status != "completed":
		return "pending"
	case conclusion == "success" || conclusion == "neutral" || conclusion == "skipped":
		return "success"
	}
	return "failure"
}
