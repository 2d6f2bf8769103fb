package sandbox

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// statusInput is what creating a commit status takes.
type statusInput struct {
	State       string `json:"state"`
	TargetURL   string `json:"target_url"`
	Description string `json:"description"`
	Context     string `json:"context"`
}

// createStatus sets a commit status on ref's commit.
func (t *tx) createStatus(rp *repo, ref string, in statusInput) (*status, error) {
	if err := t.need(rp, "write"); err != nil {
		return nil, err
	}
	switch in.State {
	case "pending", "success", "failure", "error":
	default:
		return nil, errInvalid("Status", "state", "custom", "state must be one of pending, success, failure, error")
	}
	sha, ok := t.resolve(rp, ref)
	if !ok {
		return nil, errUnprocessable("No commit found for SHA: " + ref)
	}
	now := t.w.now()
	st := &status{ID: t.w.id(), SHA: sha, Context: firstNonEmpty(in.Context, "default"), State: in.State, Description: in.Description,
		TargetURL: in.TargetURL, Creator: t.login(), CreatedAt: now, UpdatedAt: now}
	rp.Statuses[sha] = append(rp.Statuses[sha], st)
	t.statusEvent(rp, st)
	return st, nil
}

// latestStatuses is the newest status of each context on sha, by context.
func latestStatuses(rp *repo, sha string) []*status {
	seen := map[string]bool{}
	var out []*status
	all := rp.Statuses[sha]
	for k := len(all) - 1; k >= 0; k-- {
		if !seen[all[k].Context] {
			seen[all[k].Context] = true
			out = append(out, all[k])
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Context < out[b].Context })
	return out
}

// combinedState is GitHub's combined state: failure if any failed or
// errored, pending if any is pending or there are none, else success.
func combinedState(latest []*status) string {
	state := "success"
	if len(latest) == 0 {
		state = "pending"
	}
	for _, st := range latest {
		switch st.State {
		case "failure", "error":
			return "failure"
		case "pending":
			state = "pending"
		}
	}
	return state
}

// checkRunInput is what creating or updating a check run takes.
type checkRunInput struct {
	Name        string     `json:"name"`
	HeadSHA     string     `json:"head_sha"`
	Status      *string    `json:"status"`
	Conclusion  *string    `json:"conclusion"`
	DetailsURL  *string    `json:"details_url"`
	ExternalID  *string    `json:"external_id"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	Output      *struct {
		Title   string `json:"title"`
		Summary string `json:"summary"`
		Text    string `json:"text"`
	} `json:"output"`
	// Annotations is output.annotations (read by UnmarshalJSON, in
	// world_checks_annotations.go).
	Annotations []checkAnnotation `json:"-"`
}

var (
	checkStatuses    = map[string]bool{"queued": true, "in_progress": true, "completed": true, "waiting": true, "requested": true, "pending": true}
	checkConclusions = map[string]bool{"action_required": true, "cancelled": true, "failure": true, "neutral": true, "success": true, //nolint:misspell // GitHub's spelling
		"skipped": true, "stale": true, "timed_out": true}
)

func (in checkRunInput) check() error {
	if in.Status != nil && !checkStatuses[*in.Status] {
		return errInvalid("CheckRun", "status", "invalid", "")
	}
	if in.Conclusion != nil && !checkConclusions[*in.Conclusion] {
		return errInvalid("CheckRun", "conclusion", "invalid", "")
	}
	if in.Status != nil && *in.Status == "completed" && in.Conclusion == nil {
		return errInvalid("CheckRun", "conclusion", "missing_field", "conclusion is required when status is completed")
	}
	return in.checkAnnotations()
}

func (in checkRunInput) apply(cr *checkRun, now time.Time) {
	if in.Name != "" {
		cr.Name = in.Name
	}
	if in.Status != nil {
		cr.Status = *in.Status
		if cr.Status != "completed" && in.Conclusion == nil {
			// A run sent back to queued or in_progress (a rerun) loses
			// its conclusion, as on GitHub.
			cr.Conclusion, cr.CompletedAt = "", nil
		}
	}
	if in.Conclusion != nil {
		cr.Conclusion, cr.Status = *in.Conclusion, "completed"
	}
	if in.DetailsURL != nil {
		cr.DetailsURL = *in.DetailsURL
	}
	if in.ExternalID != nil {
		cr.ExternalID = *in.ExternalID
	}
	if in.StartedAt != nil {
		cr.StartedAt = *in.StartedAt
	}
	if in.Output != nil {
		cr.Title, cr.Summary, cr.Text = in.Output.Title, in.Output.Summary, in.Output.Text
	}
	cr.Annotations = append(cr.Annotations, in.Annotations...)
	if cr.Status == "completed" && cr.CompletedAt == nil {
		done := now
		if in.CompletedAt != nil {
			done = *in.CompletedAt
		}
		cr.CompletedAt = &done
	}
}

// createCheckRun creates a check run on a commit.
func (t *tx) createCheckRun(rp *repo, in checkRunInput) (*checkRun, error) {
	if err := t.need(rp, "write"); err != nil {
		return nil, err
	}
	if in.Name == "" {
		return nil, errInvalid("CheckRun", "name", "missing_field", "")
	}
	if !rp.Git.commitExists(t.ctx, in.HeadSHA) {
		return nil, errInvalid("CheckRun", "head_sha", "invalid", "No commit found for SHA: "+in.HeadSHA)
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	now := t.w.now()
	cr := &checkRun{ID: t.w.id(), HeadSHA: in.HeadSHA, Status: "queued", StartedAt: now, App: t.login()}
	in.apply(cr, now)
	rp.CheckRuns = append(rp.CheckRuns, cr)
	t.checkRunEvent(rp, cr, "created")
	return cr, nil
}

// updateCheckRun changes a check run; completed follows when it
// completes.
func (t *tx) updateCheckRun(rp *repo, cr *checkRun, in checkRunInput) error {
	if err := t.need(rp, "write"); err != nil {
		return err
	}
	if err := in.check(); err != nil {
		return err
	}
	wasDone := cr.Status == "completed"
	in.apply(cr, t.w.now())
	if !wasDone && cr.Status == "completed" {
		t.checkRunEvent(rp, cr, "completed")
	}
	return nil
}

// checkRun finds the request's check run ({id}).
func (t *tx) checkRun(r *http.Request) (*repo, *checkRun, error) {
	rp, err := t.repo(r)
	if err != nil {
		return nil, nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, cr := range rp.CheckRuns {
		if cr.ID == id {
			return rp, cr, nil
		}
	}
	return nil, nil, errNotFound()
}
