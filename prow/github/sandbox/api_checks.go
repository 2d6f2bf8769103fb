package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

type checkRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	DetailsURL  string
	Title       string
	Summary     string
	StartedAt   time.Time
	CompletedAt *time.Time
}

// checkRunInput is what create and update accept.
type checkRunInput struct {
	Name       string  `json:"name"`
	HeadSHA    string  `json:"head_sha"`
	Status     *string `json:"status"`
	Conclusion *string `json:"conclusion"`
	DetailsURL *string `json:"details_url"`
	Output     *struct {
		Title   string `json:"title"`
		Summary string `json:"summary"`
	} `json:"output"`
}

func (in checkRunInput) apply(cr *checkRun, now time.Time) {
	if in.Name != "" {
		cr.Name = in.Name
	}
	if in.Status != nil {
		cr.Status = *in.Status
	}
	if in.Conclusion != nil {
		cr.Conclusion, cr.Status = *in.Conclusion, "completed"
	}
	if in.DetailsURL != nil {
		cr.DetailsURL = *in.DetailsURL
	}
	if in.Output != nil {
		cr.Title, cr.Summary = in.Output.Title, in.Output.Summary
	}
	if cr.Status == "completed" && cr.CompletedAt == nil {
		cr.CompletedAt = &now
	}
}

func (s *Server) checkRunObj(rp *repo, cr *checkRun) obj {
	o := obj{"id": cr.ID, "node_id": fmt.Sprintf("CR_%d", cr.ID), "name": cr.Name, "head_sha": cr.HeadSHA, "status": cr.Status,
		"conclusion": nil, "details_url": cr.DetailsURL, "external_id": "", "html_url": fmt.Sprintf("%s/%s/runs/%d", s.base, rp.fullName(), cr.ID),
		"url": fmt.Sprintf("%s/repos/%s/check-runs/%d", s.api, rp.fullName(), cr.ID), "started_at": ts(cr.StartedAt), "completed_at": nil,
		"output":      obj{"title": cr.Title, "summary": cr.Summary, "text": nil, "annotations_count": 0, "annotations_url": ""},
		"check_suite": obj{"id": cr.ID}, "app": nil, "pull_requests": []obj{}}
	if cr.Conclusion != "" {
		o["conclusion"] = cr.Conclusion
	}
	if cr.CompletedAt != nil {
		o["completed_at"] = ts(*cr.CompletedAt)
	}
	return o
}

func (s *Server) checkRunEvent(rp *repo, cr *checkRun, sender, action string) {
	o := s.eventBase(rp, sender, action)
	o["check_run"] = s.checkRunObj(rp, cr)
	s.hooks.send("check_run", o)
}

func (s *Server) createCheckRun(w http.ResponseWriter, r *http.Request) {
	var in checkRunInput
	rp, ok := s.decodeRepoWrite(w, r, &in)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	if in.Name == "" || in.HeadSHA == "" {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	now := s.w.now()
	cr := &checkRun{ID: s.w.id(), HeadSHA: in.HeadSHA, Status: "queued", StartedAt: now}
	in.apply(cr, now)
	rp.CheckRuns = append(rp.CheckRuns, cr)
	s.checkRunEvent(rp, cr, caller(r), "created")
	writeJSON(w, http.StatusCreated, s.checkRunObj(rp, cr))
}

func (s *Server) updateCheckRun(w http.ResponseWriter, r *http.Request) {
	var in checkRunInput
	rp, ok := s.decodeRepoWrite(w, r, &in)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, cr := range rp.CheckRuns {
		if cr.ID == id {
			wasDone := cr.Status == "completed"
			in.apply(cr, s.w.now())
			if !wasDone && cr.Status == "completed" {
				s.checkRunEvent(rp, cr, caller(r), "completed")
			}
			writeJSON(w, http.StatusOK, s.checkRunObj(rp, cr))
			return
		}
	}
	apiError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) listCheckRuns(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	sha := r.PathValue("ref")
	if resolved, err := git(rp.Git.bare, "rev-parse", "--verify", "-q", sha); err == nil && resolved != "" {
		sha = resolved
	}
	var runs []obj
	for _, cr := range rp.CheckRuns {
		if cr.HeadSHA == sha {
			runs = append(runs, s.checkRunObj(rp, cr))
		}
	}
	all := len(runs)
	writeJSON(w, http.StatusOK, obj{"total_count": all, "check_runs": page(w, r, append([]obj{}, runs...))})
}
