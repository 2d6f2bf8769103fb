package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Push is a commit pushed through the sandbox's own API, as a developer
// would push it.
type Push struct {
	// Files are the changes; see FileChanges (null deletes in JSON).
	Files   FileChanges `json:"files"`
	Message string      `json:"message,omitempty"`
	// Author is who pushes: the pull request's author or the repository's
	// owner when empty.
	Author string `json:"author,omitempty"`
	// Base is where a new branch starts (the default branch when empty).
	Base string `json:"base,omitempty"`
}

// PushToPull commits on a pull request's head branch (repo is
// "owner/name"); synchronize follows. It returns the new head SHA.
func (s *Server) PushToPull(ctx context.Context, repo string, number int, p Push) (string, error) {
	return s.pushToPull(ctx, nil, repo, number, p)
}

func (s *Server) pushToPull(ctx context.Context, r *http.Request, repo string, number int, p Push) (string, error) {
	var sha string
	err := s.apply(ctx, r, firstNonEmpty(p.Author, s.pullAuthor(repo, number)), func(t *tx) error {
		i, err := s.findPull(repo, number)
		if err != nil {
			return err
		}
		if i.State != "open" {
			return errUnprocessable(fmt.Sprintf("pull request %s#%d is closed", repo, number))
		}
		sha, err = t.commitFiles(i.Repo, i.PR.Head, i.PR.Base, p.Files, p.Message)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("push to %s#%d: %w", repo, number, err)
	}
	return sha, nil
}

// PushToBranch commits on a branch, creating it from Base when missing;
// push (and synchronize for pull requests from it) follow. It returns the
// new tip.
func (s *Server) PushToBranch(ctx context.Context, repo, branch string, p Push) (string, error) {
	return s.pushToBranch(ctx, nil, repo, branch, p)
}

func (s *Server) pushToBranch(ctx context.Context, r *http.Request, repo, branch string, p Push) (string, error) {
	var sha string
	err := s.apply(ctx, r, p.Author, func(t *tx) error {
		rp := t.w.repos[strings.ToLower(repo)]
		if rp == nil {
			return errNotFound()
		}
		var err error
		sha, err = t.commitFiles(rp, branch, p.Base, p.Files, p.Message)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("push to %s branch %s: %w", repo, branch, err)
	}
	return sha, nil
}

// SetDraft converts a pull request to a draft, or marks it ready for
// review (which GitHub's REST API cannot do).
func (s *Server) SetDraft(ctx context.Context, repo string, number int, draft bool) error {
	return s.setDraft(ctx, nil, repo, number, draft)
}

func (s *Server) setDraft(ctx context.Context, r *http.Request, repo string, number int, draft bool) error {
	err := s.apply(ctx, r, s.pullAuthor(repo, number), func(t *tx) error {
		i, err := s.findPull(repo, number)
		if err != nil {
			return err
		}
		t.setDraft(i, draft)
		return nil
	})
	if err != nil {
		return fmt.Errorf("set draft of %s#%d: %w", repo, number, err)
	}
	return nil
}

// pullAuthor is the author of a pull request, "" when there is none.
func (s *Server) pullAuthor(repo string, number int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, err := s.findPull(repo, number); err == nil {
		return i.Author
	}
	return ""
}

// findPull finds a pull request by "owner/name" and number; the lock is
// held.
func (s *Server) findPull(repo string, number int) (*issue, error) {
	rp := s.w.repos[strings.ToLower(repo)]
	if rp == nil || rp.Issues[number] == nil || rp.Issues[number].PR == nil {
		return nil, errNotFound()
	}
	return rp.Issues[number], nil
}

// adminAnswer writes the result of an admin call.
func adminAnswer(w http.ResponseWriter, code int, body any, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		writeError(w, &apiError{Status: ae.Status, Message: err.Error(), Errors: ae.Errors})
	case err != nil:
		writeError(w, &apiError{Status: http.StatusInternalServerError, Message: err.Error()})
	case body == nil:
		w.WriteHeader(code)
	default:
		writeJSON(w, code, body)
	}
}

func (s *Server) adminPushPull(w http.ResponseWriter, r *http.Request) {
	var in Push
	if !decode(w, r, &in) {
		return
	}
	number, _ := strconv.Atoi(r.PathValue("number"))
	sha, err := s.pushToPull(r.Context(), r, r.PathValue("owner")+"/"+r.PathValue("repo"), number, in)
	adminAnswer(w, http.StatusOK, obj{"sha": sha}, err)
}

func (s *Server) adminPushBranch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Push
		Branch string `json:"branch"`
	}
	if !decode(w, r, &in) {
		return
	}
	sha, err := s.pushToBranch(r.Context(), r, r.PathValue("owner")+"/"+r.PathValue("repo"), in.Branch, in.Push)
	adminAnswer(w, http.StatusOK, obj{"sha": sha}, err)
}

func (s *Server) adminSetDraft(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Draft bool `json:"draft"`
	}
	if !decode(w, r, &in) {
		return
	}
	number, _ := strconv.Atoi(r.PathValue("number"))
	adminAnswer(w, http.StatusNoContent, nil, s.setDraft(r.Context(), r, r.PathValue("owner")+"/"+r.PathValue("repo"), number, in.Draft))
}

func (s *Server) adminGetFaults(w http.ResponseWriter, _ *http.Request) {
	s.faults.mu.Lock()
	cfg := s.faults.cfg
	s.faults.mu.Unlock()
	writeJSON(w, http.StatusOK, obj{"rate": cfg.Rate, "kinds": cfg.Kinds, "injected": s.FaultCounts()})
}

func (s *Server) adminSetFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if !decode(w, r, &f) {
		return
	}
	if err := f.Validate(); err != nil {
		writeError(w, &apiError{Status: http.StatusBadRequest, Message: err.Error()})
		return
	}
	s.SetFaults(f)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminSetRateLimit(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Remaining      int     `json:"remaining"`
		ResetInSeconds float64 `json:"reset_in_seconds"`
	}
	if !decode(w, r, &in) {
		return
	}
	if in.Remaining < 0 || in.ResetInSeconds < 0 {
		writeError(w, &apiError{Status: http.StatusBadRequest, Message: `want {"remaining": n >= 0, "reset_in_seconds": s >= 0}`})
		return
	}
	s.SetRateLimit(in.Remaining, time.Duration(in.ResetInSeconds*float64(time.Second)))
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminDeliveries(w http.ResponseWriter, _ *http.Request) {
	out := []obj{}
	for _, d := range s.Deliveries() {
		out = append(out, obj{"id": d.ID, "event": d.Event, "action": d.Action, "attempts": d.Attempts, "status_code": d.StatusCode,
			"delivered": d.Delivered, "error": d.Error, "queued_at": ts(d.Queued)})
	}
	writeJSON(w, http.StatusOK, out)
}

// adminFlush answers once every queued webhook was sent, for scripts
// that want no sleeps either.
func (s *Server) adminFlush(w http.ResponseWriter, r *http.Request) {
	if err := s.Flush(r.Context()); err != nil {
		writeError(w, &apiError{Status: http.StatusServiceUnavailable, Message: err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
