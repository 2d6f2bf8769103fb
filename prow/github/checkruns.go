package github

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v60/github"
)

// MaxAnnotationsPerRequest is how many annotations GitHub takes in one
// create or update of a check run; more go in further updates, each
// appending to those the run has.
const MaxAnnotationsPerRequest = 50

// CheckRun is a check run, the GitHub App alternative to a status.
type CheckRun struct {
	ID         int64
	Name       string
	HeadSHA    string
	Status     string // queued, in_progress, completed
	Conclusion string // one of GitHub's check conclusions: success, failure, neutral, timed_out, ...
	DetailsURL string
	// ExternalID is the integrator's reference for the run (the bot puts
	// the ProwJob's name there).
	ExternalID string
	Title      string
	Summary    string
	Text       string
	// Annotations are sent with a create or update (at most
	// MaxAnnotationsPerRequest); GitHub appends them to the run's.
	Annotations []CheckRunAnnotation
	// AnnotationsCount is how many annotations the run has, as read.
	AnnotationsCount int
}

// CheckRunAnnotation marks lines of a file in a check run's output.
type CheckRunAnnotation struct {
	Path      string
	StartLine int
	EndLine   int
	// Level is notice, warning or failure.
	Level      string
	Title      string
	Message    string
	RawDetails string
}

// CheckRunClient writes and reads check runs.
type CheckRunClient interface {
	CreateCheckRun(ctx context.Context, org, repo string, run CheckRun) (int64, error)
	UpdateCheckRun(ctx context.Context, org, repo string, run CheckRun) error
	ListCheckRuns(ctx context.Context, org, repo, ref string) ([]CheckRun, error)
	FindCheckRun(ctx context.Context, org, repo, sha, name string) (CheckRun, bool, error)
	ListCheckRunAnnotations(ctx context.Context, org, repo string, id int64) ([]CheckRunAnnotation, error)
	RerequestCheckRun(ctx context.Context, org, repo string, id int64) error
}

var _ CheckRunClient = (*Client)(nil)

// IsApp says whether the client authenticates as a GitHub App (only apps
// may write check runs on github.com).
func (c *Client) IsApp() bool { return c.perOrg }

func checkOutput(run CheckRun) *gh.CheckRunOutput {
	if run.Title == "" && run.Summary == "" && run.Text == "" && len(run.Annotations) == 0 {
		return nil
	}
	// The text goes even when empty, so that a run updated in place does
	// not keep the text of its previous report.
	out := &gh.CheckRunOutput{Title: gh.String(run.Title), Summary: gh.String(run.Summary), Text: gh.String(run.Text)}
	for _, a := range run.Annotations {
		out.Annotations = append(out.Annotations, &gh.CheckRunAnnotation{Path: gh.String(a.Path), StartLine: gh.Int(a.StartLine),
			EndLine: gh.Int(a.EndLine), AnnotationLevel: gh.String(a.Level), Message: gh.String(a.Message),
			Title: optional(a.Title), RawDetails: optional(a.RawDetails)})
	}
	return out
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
		Status: optional(run.Status), Conclusion: optional(run.Conclusion), DetailsURL: optional(run.DetailsURL),
		ExternalID: optional(run.ExternalID), Output: checkOutput(run)})
	if err != nil {
		return 0, fmt.Errorf("create check run %s on %s/%s@%s: %w", run.Name, org, repo, run.HeadSHA, err)
	}
	return cr.GetID(), nil
}

// UpdateCheckRun updates the check run run.ID.
func (c *Client) UpdateCheckRun(ctx context.Context, org, repo string, run CheckRun) error {
	_, _, err := c.gh.Checks.UpdateCheckRun(ctx, org, repo, run.ID, gh.UpdateCheckRunOptions{Name: run.Name,
		Status: optional(run.Status), Conclusion: optional(run.Conclusion), DetailsURL: optional(run.DetailsURL),
		ExternalID: optional(run.ExternalID), Output: checkOutput(run)})
	if err != nil {
		return fmt.Errorf("update check run %d (%s) of %s/%s: %w", run.ID, run.Name, org, repo, err)
	}
	return nil
}

func checkRunOf(cr *gh.CheckRun) CheckRun {
	return CheckRun{ID: cr.GetID(), Name: cr.GetName(), HeadSHA: cr.GetHeadSHA(), Status: cr.GetStatus(),
		Conclusion: cr.GetConclusion(), DetailsURL: cr.GetDetailsURL(), ExternalID: cr.GetExternalID(),
		Title: cr.GetOutput().GetTitle(), Summary: cr.GetOutput().GetSummary(), Text: cr.GetOutput().GetText(),
		AnnotationsCount: cr.GetOutput().GetAnnotationsCount()}
}

// ListCheckRuns lists the check runs of a ref: the latest of each name.
func (c *Client) ListCheckRuns(ctx context.Context, org, repo, ref string) ([]CheckRun, error) {
	return c.listCheckRuns(ctx, org, repo, ref, &gh.ListCheckRunsOptions{})
}

func (c *Client) listCheckRuns(ctx context.Context, org, repo, ref string, opt *gh.ListCheckRunsOptions) ([]CheckRun, error) {
	var out []CheckRun
	opt.PerPage = perPage
	for {
		res, resp, err := c.gh.Checks.ListCheckRunsForRef(ctx, org, repo, ref, opt)
		if err != nil {
			return nil, fmt.Errorf("list check runs of %s/%s@%s: %w", org, repo, ref, err)
		}
		for _, cr := range res.CheckRuns {
			out = append(out, checkRunOf(cr))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// FindCheckRun finds the newest check run called name on the commit sha;
// false when there is none.
func (c *Client) FindCheckRun(ctx context.Context, org, repo, sha, name string) (CheckRun, bool, error) {
	runs, err := c.listCheckRuns(ctx, org, repo, sha, &gh.ListCheckRunsOptions{CheckName: gh.String(name), Filter: gh.String("latest")})
	if err != nil {
		return CheckRun{}, false, err
	}
	for _, r := range runs {
		if r.Name == name && r.HeadSHA == sha {
			return r, true, nil
		}
	}
	return CheckRun{}, false, nil
}

// ListCheckRunAnnotations lists the annotations of the check run id.
func (c *Client) ListCheckRunAnnotations(ctx context.Context, org, repo string, id int64) ([]CheckRunAnnotation, error) {
	var out []CheckRunAnnotation
	opt := &gh.ListOptions{PerPage: perPage}
	for {
		list, resp, err := c.gh.Checks.ListCheckRunAnnotations(ctx, org, repo, id, opt)
		if err != nil {
			return nil, fmt.Errorf("list the annotations of check run %d of %s/%s: %w", id, org, repo, err)
		}
		for _, a := range list {
			out = append(out, CheckRunAnnotation{Path: a.GetPath(), StartLine: a.GetStartLine(), EndLine: a.GetEndLine(),
				Level: a.GetAnnotationLevel(), Title: a.GetTitle(), Message: a.GetMessage(), RawDetails: a.GetRawDetails()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// RerequestCheckRun asks GitHub to send the check_run webhook with
// action rerequested for the check run id, as its "Re-run" button does.
func (c *Client) RerequestCheckRun(ctx context.Context, org, repo string, id int64) error {
	if _, err := c.gh.Checks.ReRequestCheckRun(ctx, org, repo, id); err != nil {
		return fmt.Errorf("rerequest check run %d of %s/%s: %w", id, org, repo, err)
	}
	return nil
}
