package sandbox

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// actionsApp is the login the check runs of workflow jobs are created
// by, as GitHub Actions' app creates them on GitHub.
const actionsApp = "github-actions"

// checkRunApp is the app a check run shows: GitHub Actions for a
// workflow job's, none for the others.
func (t *tx) checkRunApp(cr *checkRun) any {
	if cr.App != actionsApp {
		return nil
	}
	const since = "2018-07-30T09:30:17Z"
	return obj{"id": 15368, "slug": actionsApp, "node_id": nodeID("A", 15368), "owner": t.userObj("github"), "name": "GitHub Actions",
		"description": "Automate your workflow from idea to production", "external_url": "https://help.github.com/en/actions",
		"html_url": t.links.web + "/apps/" + actionsApp, "created_at": since, "updated_at": since,
		"permissions": obj{"actions": "write", "checks": "write", "contents": "write", "metadata": "read", "pull_requests": "write", "statuses": "write"},
		"events":      []string{"check_run", "check_suite", "pull_request", "push", "workflow_dispatch"}}
}

// actions is a repository's GitHub Actions state: its workflows and
// their runs, oldest first.
type actions struct {
	Workflows []*workflow
	Runs      []*workflowRun
}

// workflow is a workflow file of .github/workflows.
type workflow struct {
	ID        int64
	Name      string
	Path      string   // .github/workflows/<file>
	Jobs      []string // a seeded workflow's jobs, run on pull requests
	Runs      int      // runs so far, for run numbers
	CreatedAt time.Time
}

// workflowRun is one run of a workflow on a commit. Its jobs show as
// check runs on the head commit; Jobs maps a job's name to the check run
// of its latest attempt.
type workflowRun struct {
	ID         int64
	Workflow   *workflow
	Number     int
	Attempt    int
	Event      string
	HeadBranch string
	HeadSHA    string
	Actor      string
	Status     string // queued, in_progress, completed
	Conclusion string // "" until completed
	JobNames   []string
	Jobs       map[string]*checkRun
	CreatedAt  time.Time
	UpdatedAt  time.Time
	StartedAt  time.Time
}

// WorkflowRun is a run GitHub Actions starts, as a test describes it to
// StartWorkflowRun.
type WorkflowRun struct {
	// Workflow is the workflow's name; its file is
	// .github/workflows/<name, lower-cased, blanks as dashes>.yml. It is
	// created with its first run.
	Workflow string `json:"workflow"`
	// Event is what started it (pull_request when empty).
	Event string `json:"event,omitempty"`
	// HeadSHA is the commit it runs on; HeadBranch the branch it was
	// pushed to (the pull request's head branch).
	HeadSHA    string `json:"head_sha"`
	HeadBranch string `json:"head_branch,omitempty"`
	// Actor is who caused it (the pull request's author).
	Actor string `json:"actor,omitempty"`
	// Jobs are the jobs' names, each a check run on HeadSHA while it
	// runs; at least one.
	Jobs []string `json:"jobs"`
	// NeedsApproval makes the run wait, completed with the conclusion
	// action_required and no jobs started, until someone with write
	// access approves it, as GitHub holds the runs of a first-time
	// contributor's fork pull request.
	NeedsApproval bool `json:"needs_approval,omitempty"`
}

// failedConclusions are the job conclusions a rerun of failed jobs runs
// again.
var failedConclusions = map[string]bool{"failure": true, "cancelled": true, "timed_out": true, "startup_failure": true} //nolint:misspell // GitHub's spelling

// SeedWorkflow is a GitHub Actions workflow of a repository: each time
// a pull request is opened or pushed to, a run of it starts on the head
// with the event pull_request, its jobs check runs on the head. The run
// of a pull request whose author has no write access (a fork's
// contributor) waits for approval, as GitHub holds first-time
// contributors' runs.
type SeedWorkflow struct {
	Name string   `json:"name"`
	Jobs []string `json:"jobs"`
}

// seedWorkflows adds a seed's workflows to a new repository.
func (w *world) seedWorkflows(r *repo, seeded []SeedWorkflow) error {
	for k, sw := range seeded {
		if sw.Name == "" || len(sw.Jobs) == 0 {
			return fmt.Errorf("workflows[%d]: a workflow needs a name and at least one job", k)
		}
		r.Actions.Workflows = append(r.Actions.Workflows, &workflow{ID: w.id(), Name: sw.Name, Path: workflowPath(sw.Name),
			Jobs: append([]string(nil), sw.Jobs...), CreatedAt: w.now()})
	}
	return nil
}

// pullWorkflows starts a run of each seeded workflow on a pull request's
// head, as GitHub Actions does when it is opened or pushed to.
func (t *tx) pullWorkflows(i *issue) error {
	rp := i.Repo
	for _, wf := range rp.Actions.Workflows {
		if len(wf.Jobs) == 0 {
			continue // created by a run a test started, not seeded
		}
		if _, err := t.startWorkflowRun(rp, WorkflowRun{Workflow: wf.Name, HeadSHA: i.PR.HeadSHA, HeadBranch: i.PR.Head, Actor: i.Author,
			Jobs: wf.Jobs, NeedsApproval: !t.w.can(rp, i.Author, "write")}); err != nil {
			return fmt.Errorf("start workflow %s on %s#%d: %w", wf.Name, rp.fullName(), i.Number, err)
		}
	}
	return nil
}

// workflowPath is the file of the workflow named name.
func workflowPath(name string) string {
	return ".github/workflows/" + strings.ReplaceAll(strings.ToLower(name), " ", "-") + ".yml"
}

// workflowFor finds or creates the repository's workflow named name.
func (t *tx) workflowFor(rp *repo, name string) *workflow {
	for _, wf := range rp.Actions.Workflows {
		if wf.Name == name {
			return wf
		}
	}
	wf := &workflow{ID: t.w.id(), Name: name, Path: workflowPath(name), CreatedAt: t.w.now()}
	rp.Actions.Workflows = append(rp.Actions.Workflows, wf)
	return wf
}

// startWorkflowRun starts a run: its jobs' check runs go in progress, or
// it waits for approval.
func (t *tx) startWorkflowRun(rp *repo, in WorkflowRun) (*workflowRun, error) {
	if in.Workflow == "" || len(in.Jobs) == 0 {
		return nil, errUnprocessable("a workflow run needs a workflow and at least one job")
	}
	sha, ok := t.resolve(rp, in.HeadSHA)
	if !ok {
		return nil, errUnprocessable("No commit found for SHA: " + in.HeadSHA)
	}
	wf := t.workflowFor(rp, in.Workflow)
	wf.Runs++
	now := t.w.now()
	run := &workflowRun{ID: t.w.id(), Workflow: wf, Number: wf.Runs, Attempt: 1, Event: firstNonEmpty(in.Event, "pull_request"),
		HeadBranch: in.HeadBranch, HeadSHA: sha, Actor: in.Actor, JobNames: append([]string(nil), in.Jobs...), Jobs: map[string]*checkRun{},
		CreatedAt: now, UpdatedAt: now, StartedAt: now}
	rp.Actions.Runs = append(rp.Actions.Runs, run)
	if in.NeedsApproval {
		run.Status, run.Conclusion = "completed", "action_required"
		return run, nil
	}
	return run, t.runJobs(rp, run, run.JobNames)
}

// runJobs puts jobs of run in progress, each with a new check run.
func (t *tx) runJobs(rp *repo, run *workflowRun, jobs []string) error {
	inProgress := "in_progress"
	run.Status, run.Conclusion, run.UpdatedAt = inProgress, "", t.w.now()
	for _, job := range jobs {
		url := fmt.Sprintf("%s/actions/runs/%d/job/%s", t.repoWeb(rp), run.ID, job)
		cr, err := t.createCheckRun(rp, checkRunInput{Name: job, HeadSHA: run.HeadSHA, Status: &inProgress, DetailsURL: &url})
		if err != nil {
			return err
		}
		cr.App = actionsApp
		run.Jobs[job] = cr
	}
	return nil
}

// approveWorkflowRun starts the jobs of a run waiting for approval.
func (t *tx) approveWorkflowRun(rp *repo, run *workflowRun) error {
	if err := t.need(rp, "write"); err != nil {
		return err
	}
	if run.Conclusion != "action_required" {
		return errForbidden("This run is not waiting for approval.")
	}
	return t.runJobs(rp, run, run.JobNames)
}

// rerunFailedJobs starts a new attempt of a completed run with its
// failed jobs; the others keep their results.
func (t *tx) rerunFailedJobs(rp *repo, run *workflowRun) error {
	if err := t.need(rp, "write"); err != nil {
		return err
	}
	var failed []string
	for _, job := range run.JobNames {
		if cr := run.Jobs[job]; cr != nil && cr.Status == "completed" && failedConclusions[cr.Conclusion] {
			failed = append(failed, job)
		}
	}
	if run.Status != "completed" || len(failed) == 0 {
		return errForbidden("This workflow run has no failed jobs to re-run.")
	}
	run.Attempt++
	run.StartedAt = t.w.now()
	return t.runJobs(rp, run, failed)
}

// completeJobs completes the named jobs of run that are in progress (all
// of them when none is named) with conclusion; the run completes once no
// job runs, failing when a job failed.
func (t *tx) completeJobs(rp *repo, run *workflowRun, conclusion string, jobs []string) error {
	if !checkConclusions[conclusion] {
		return errUnprocessable("unknown conclusion " + conclusion)
	}
	if len(jobs) == 0 {
		jobs = run.JobNames
	}
	for _, job := range jobs {
		cr := run.Jobs[job]
		if cr == nil {
			return errUnprocessable(fmt.Sprintf("workflow run %d has no job %s running", run.ID, job))
		}
		if cr.Status == "completed" {
			continue
		}
		if err := t.updateCheckRun(rp, cr, checkRunInput{Conclusion: &conclusion}); err != nil {
			return err
		}
	}
	run.UpdatedAt = t.w.now()
	result := "success"
	for _, job := range run.JobNames {
		cr := run.Jobs[job]
		switch {
		case cr == nil || cr.Status != "completed":
			return nil
		case failedConclusions[cr.Conclusion]:
			result = "failure"
		}
	}
	run.Status, run.Conclusion = "completed", result
	return nil
}

// workflowRunByID finds a run of the repository.
func (r *repo) workflowRunByID(id int64) *workflowRun {
	for _, run := range r.Actions.Runs {
		if run.ID == id {
			return run
		}
	}
	return nil
}

// StartWorkflowRun starts a run of a workflow in repo ("owner/name"), as
// GitHub Actions does when a pull request is opened or pushed to; it
// returns the run's ID.
func (s *Server) StartWorkflowRun(ctx context.Context, repo string, in WorkflowRun) (int64, error) {
	var id int64
	err := s.apply(ctx, nil, "", func(t *tx) error {
		rp := t.w.repos[strings.ToLower(repo)]
		if rp == nil {
			return errNotFound()
		}
		run, err := t.startWorkflowRun(rp, in)
		if run != nil {
			id = run.ID
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("start workflow %s in %s: %w", in.Workflow, repo, err)
	}
	return id, nil
}

// CompleteWorkflowRun is the test hook that finishes a run's jobs: the
// named ones in progress (every one when none is named) complete with
// conclusion (success, failure, ...).
func (s *Server) CompleteWorkflowRun(ctx context.Context, repo string, id int64, conclusion string, jobs ...string) error {
	err := s.apply(ctx, nil, "", func(t *tx) error {
		rp := t.w.repos[strings.ToLower(repo)]
		if rp == nil {
			return errNotFound()
		}
		run := rp.workflowRunByID(id)
		if run == nil {
			return errNotFound()
		}
		return t.completeJobs(rp, run, conclusion, jobs)
	})
	if err != nil {
		return fmt.Errorf("complete workflow run %d of %s: %w", id, repo, err)
	}
	return nil
}
