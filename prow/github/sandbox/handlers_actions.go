package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// actionsRoutes adds GitHub Actions' workflow-run routes to the REST API.
func (s *Server) actionsRoutes(rt *router) {
	const r = "/repos/{owner}/{repo}/actions/runs"
	rt.handle(http.MethodGet, r, s.listWorkflowRuns)
	rt.handle(http.MethodGet, r+"/{run_id}", s.getWorkflowRun)
	rt.handle(http.MethodPost, r+"/{run_id}/approve", s.approveWorkflowRun)
	rt.handle(http.MethodPost, r+"/{run_id}/rerun-failed-jobs", s.rerunFailedJobs)
}

// adminActionsRoutes adds the sandbox's own routes that play GitHub
// Actions: start a run, and finish its jobs.
func (s *Server) adminActionsRoutes(rt *router) {
	const r = "/_sandbox/repos/{owner}/{repo}/actions/runs"
	rt.handle(http.MethodPost, r, s.adminStartWorkflowRun)
	rt.handle(http.MethodPost, r+"/{run_id}/complete", s.adminCompleteWorkflowRun)
}

// runStatuses are the values of the status filter that are a run's
// status; the others are conclusions.
var runStatuses = map[string]bool{"queued": true, "in_progress": true, "completed": true, "requested": true, "waiting": true, "pending": true}

// listWorkflowRuns lists a repository's runs, newest first, filtered by
// head_sha, status (a status or a conclusion), event and branch.
func (s *Server) listWorkflowRuns(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		q := r.URL.Query()
		status := q.Get("status")
		var runs []*workflowRun
		for k := len(rp.Actions.Runs) - 1; k >= 0; k-- {
			run := rp.Actions.Runs[k]
			switch {
			case q.Get("head_sha") != "" && !strings.EqualFold(q.Get("head_sha"), run.HeadSHA),
				q.Get("event") != "" && q.Get("event") != run.Event,
				q.Get("branch") != "" && q.Get("branch") != run.HeadBranch,
				status != "" && runStatuses[status] && status != run.Status,
				status != "" && !runStatuses[status] && status != run.Conclusion:
				continue
			}
			runs = append(runs, run)
		}
		out := []obj{}
		for _, run := range page(w, r, t.links, runs) {
			out = append(out, t.workflowRunObj(rp, run))
		}
		return http.StatusOK, obj{"total_count": len(runs), "workflow_runs": out}, nil
	})
}

// workflowRun finds the request's run ({run_id}).
func (t *tx) workflowRun(r *http.Request) (*repo, *workflowRun, error) {
	rp, err := t.repo(r)
	if err != nil {
		return nil, nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("run_id"), 10, 64)
	run := rp.workflowRunByID(id)
	if run == nil {
		return nil, nil, errNotFound()
	}
	return rp, run, nil
}

func (s *Server) getWorkflowRun(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, run, err := t.workflowRun(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.workflowRunObj(rp, run), nil
	})
}

func (s *Server) approveWorkflowRun(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, run, err := t.workflowRun(r)
		if err != nil {
			return 0, nil, err
		}
		if err := t.approveWorkflowRun(rp, run); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, obj{}, nil
	})
}

func (s *Server) rerunFailedJobs(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		rp, run, err := t.workflowRun(r)
		if err != nil {
			return 0, nil, err
		}
		if err := t.rerunFailedJobs(rp, run); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, obj{}, nil
	})
}

// workflowRunObj renders a run as GitHub's workflow-run.
func (t *tx) workflowRunObj(rp *repo, run *workflowRun) obj {
	api := fmt.Sprintf("%s/actions/runs/%d", t.repoAPI(rp), run.ID)
	repository := t.repoObj(rp)
	delete(repository, "permissions")
	var head any
	if c, err := rp.Git.commit(t.ctx, run.HeadSHA); err == nil {
		head = obj{"id": c.SHA, "tree_id": c.Tree, "message": c.Message, "timestamp": ts(c.Committer.When),
			"author": obj{"name": c.Author.Name, "email": c.Author.Email}, "committer": obj{"name": c.Committer.Name, "email": c.Committer.Email}}
	}
	actor := firstNonEmpty(run.Actor, rp.Owner)
	o := obj{"id": run.ID, "name": run.Workflow.Name, "node_id": nodeID("WFR", run.ID), "check_suite_id": run.ID,
		"check_suite_node_id": nodeID("CS", run.ID), "head_branch": nilIfEmpty(run.HeadBranch), "head_sha": run.HeadSHA,
		"path": run.Workflow.Path, "run_number": run.Number, "run_attempt": run.Attempt, "event": run.Event,
		"display_title": run.Workflow.Name, "status": run.Status, "conclusion": nilIfEmpty(run.Conclusion),
		"workflow_id": run.Workflow.ID, "url": api, "html_url": fmt.Sprintf("%s/actions/runs/%d", t.repoWeb(rp), run.ID),
		"pull_requests": t.pullRefsFor(rp, run.HeadSHA), "created_at": ts(run.CreatedAt), "updated_at": ts(run.UpdatedAt),
		"actor": t.userObj(actor), "triggering_actor": t.userObj(actor), "run_started_at": ts(run.StartedAt),
		"jobs_url": api + "/jobs", "logs_url": api + "/logs", "check_suite_url": fmt.Sprintf("%s/check-suites/%d", t.repoAPI(rp), run.ID),
		"artifacts_url": api + "/artifacts", "cancel_url": api + "/cancel", "rerun_url": api + "/rerun", "previous_attempt_url": nil,
		"workflow_url": fmt.Sprintf("%s/actions/workflows/%d", t.repoAPI(rp), run.Workflow.ID), "head_commit": head,
		"repository": repository, "head_repository": repository, "head_repository_id": rp.ID}
	if run.Attempt > 1 {
		o["previous_attempt_url"] = fmt.Sprintf("%s/attempts/%d", api, run.Attempt-1)
	}
	return o
}

func (s *Server) adminStartWorkflowRun(w http.ResponseWriter, r *http.Request) {
	var in WorkflowRun
	if !decode(w, r, &in) {
		return
	}
	id, err := s.StartWorkflowRun(r.Context(), r.PathValue("owner")+"/"+r.PathValue("repo"), in)
	adminAnswer(w, http.StatusCreated, obj{"id": id}, err)
}

func (s *Server) adminCompleteWorkflowRun(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Conclusion string   `json:"conclusion"`
		Jobs       []string `json:"jobs,omitempty"`
	}
	if !decode(w, r, &in) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("run_id"), 10, 64)
	err := s.CompleteWorkflowRun(r.Context(), r.PathValue("owner")+"/"+r.PathValue("repo"), id, in.Conclusion, in.Jobs...)
	adminAnswer(w, http.StatusNoContent, nil, err)
}
