package sandbox

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"
)

// commentsSince keeps the comments updated at or after since (all when
// zero), oldest first.
func commentsSince(list []*comment, since time.Time) []*comment {
	out := []*comment{}
	for _, c := range list {
		if since.IsZero() || !c.UpdatedAt.Before(since) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

func (t *tx) commentsObj(list []*comment) []obj {
	out := make([]obj, 0, len(list))
	for _, c := range list {
		out = append(out, t.commentObj(c))
	}
	return out
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		since, err := parseSince(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.commentsObj(page(w, r, t.links, commentsSince(i.Comments, since))), nil
	})
}

// listRepoComments lists the comments on every issue of a repository.
func (s *Server) listRepoComments(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		since, err := parseSince(r)
		if err != nil {
			return 0, nil, err
		}
		all := make([]*comment, 0, len(rp.Comments))
		for _, c := range rp.Comments {
			all = append(all, c)
		}
		list := commentsSince(all, since)
		if r.URL.Query().Get("direction") == "desc" {
			slices.Reverse(list)
		}
		return http.StatusOK, t.commentsObj(page(w, r, t.links, list)), nil
	})
}

func (s *Server) createComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	if !decode(w, r, &in) {
		return
	}
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		c, err := t.createComment(i, in.Body)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.commentObj(c), nil
	})
}

// comment finds the request's comment ({id}).
func (t *tx) comment(r *http.Request) (*comment, error) {
	rp, err := t.repo(r)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c := rp.Comments[id]
	if c == nil {
		return nil, errNotFound()
	}
	return c, nil
}

func (s *Server) getComment(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		c, err := t.comment(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.commentObj(c), nil
	})
}

func (s *Server) editComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	if !decode(w, r, &in) {
		return
	}
	s.do(w, r, func(t *tx) (int, any, error) {
		c, err := t.comment(r)
		if err != nil {
			return 0, nil, err
		}
		if err := t.editComment(c, in.Body); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.commentObj(c), nil
	})
}

func (s *Server) deleteComment(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		c, err := t.comment(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, t.deleteComment(c)
	})
}
