package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) listReviews(w http.ResponseWriter, r *http.Request) {
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		out := []obj{}
		for _, rv := range page(w, r, t.links, i.PR.Reviews) {
			if rv.State == "PENDING" && !strings.EqualFold(rv.Author, t.login()) {
				continue // only its author sees a pending review
			}
			out = append(out, t.reviewObj(i, rv))
		}
		return http.StatusOK, out, nil
	})
}

// review finds the request's review ({id}).
func (t *tx) review(r *http.Request) (*issue, *review, error) {
	i, err := t.pull(r)
	if err != nil {
		return nil, nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, rv := range i.PR.Reviews {
		if rv.ID == id {
			return i, rv, nil
		}
	}
	return nil, nil, errNotFound()
}

func (s *Server) getReview(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		i, rv, err := t.review(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.reviewObj(i, rv), nil
	})
}

func (s *Server) createReview(w http.ResponseWriter, r *http.Request) {
	var in reviewInput
	if !decode(w, r, &in) {
		return
	}
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		rv, err := t.createReview(i, in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.reviewObj(i, rv), nil
	})
}

func (s *Server) dismissReview(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Message string `json:"message"`
	}
	if !decode(w, r, &in) {
		return
	}
	s.do(w, r, func(t *tx) (int, any, error) {
		i, rv, err := t.review(r)
		if err != nil {
			return 0, nil, err
		}
		if err := t.dismissReview(i, rv, in.Message); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.reviewObj(i, rv), nil
	})
}

func (s *Server) listReviewComments(w http.ResponseWriter, r *http.Request) {
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		out := []obj{}
		for _, rc := range page(w, r, t.links, i.PR.ReviewComments) {
			out = append(out, t.reviewCommentObj(rc))
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) createReviewComment(w http.ResponseWriter, r *http.Request) {
	var in reviewCommentInput
	if !decode(w, r, &in) {
		return
	}
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		rc, err := t.createReviewComment(i, in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.reviewCommentObj(rc), nil
	})
}

// reviewersInput is what the requested reviewer endpoints take.
type reviewersInput struct {
	Reviewers     []string `json:"reviewers"`
	TeamReviewers []string `json:"team_reviewers"`
}

func (s *Server) listRequestedReviewers(w http.ResponseWriter, r *http.Request) {
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		return http.StatusOK, obj{"users": t.usersObj(i.PR.RequestedReviewers), "teams": t.requestedTeamsObj(i.Repo, i.PR.RequestedTeams)}, nil
	})
}

func (s *Server) requestReviewers(w http.ResponseWriter, r *http.Request) {
	s.changeReviewers(w, r, http.StatusCreated, (*tx).requestReviews)
}

func (s *Server) removeRequestedReviewers(w http.ResponseWriter, r *http.Request) {
	s.changeReviewers(w, r, http.StatusOK, (*tx).unrequestReviews)
}

func (s *Server) changeReviewers(w http.ResponseWriter, r *http.Request, code int, change func(t *tx, i *issue, users, teams []string) error) {
	var in reviewersInput
	if !decode(w, r, &in) {
		return
	}
	s.doPull(w, r, func(t *tx, i *issue) (int, any, error) {
		if err := change(t, i, in.Reviewers, in.TeamReviewers); err != nil {
			return 0, nil, err
		}
		return code, t.pullObj(i, false), nil
	})
}
