package sandbox

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		return http.StatusOK, t.issueObj(i), nil
	})
}

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request) {
	var in issueInput
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		i, err := t.createIssue(rp, in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.issueObj(i), nil
	})
}

func (s *Server) updateIssue(w http.ResponseWriter, r *http.Request) {
	var in issueInput
	if !decode(w, r, &in) {
		return
	}
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		if err := t.updateIssue(i, in); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.issueObj(i), nil
	})
}

// issueFilter is the query of the issue list.
type issueFilter struct {
	state, assignee, creator, milestone string
	labels                              []string
	since                               time.Time
}

func (f issueFilter) keep(i *issue) bool {
	if (f.state != "all" && i.State != f.state) || (!f.since.IsZero() && i.UpdatedAt.Before(f.since)) {
		return false
	}
	for _, l := range f.labels {
		if !i.hasLabel(l) {
			return false
		}
	}
	if f.creator != "" && !strings.EqualFold(i.Author, f.creator) {
		return false
	}
	return f.keepAssignee(i) && f.keepMilestone(i)
}

// keepAssignee: a login, none, or * (anyone).
func (f issueFilter) keepAssignee(i *issue) bool {
	switch f.assignee {
	case "":
		return true
	case "none":
		return len(i.Assignees) == 0
	case "*":
		return len(i.Assignees) > 0
	}
	return containsFold(i.Assignees, f.assignee)
}

// keepMilestone: a number, none, or * (any).
func (f issueFilter) keepMilestone(i *issue) bool {
	switch f.milestone {
	case "":
		return true
	case "none":
		return i.Milestone == nil
	case "*":
		return i.Milestone != nil
	}
	return i.Milestone != nil && strconv.Itoa(i.Milestone.Number) == f.milestone
}

// sortIssues orders issues by created (default), updated or comments,
// then by number; descending unless direction is asc.
func sortIssues(list []*issue, by, direction string) {
	cmp := func(a, b *issue) int {
		var c int
		switch by {
		case "updated":
			c = a.UpdatedAt.Compare(b.UpdatedAt)
		case "comments":
			c = len(a.Comments) - len(b.Comments)
		default:
			c = a.CreatedAt.Compare(b.CreatedAt)
		}
		if c == 0 {
			c = a.Number - b.Number
		}
		return c
	}
	sort.SliceStable(list, func(x, y int) bool {
		if direction == "asc" {
			return cmp(list[x], list[y]) < 0
		}
		return cmp(list[x], list[y]) > 0
	})
}

func parseSince(r *http.Request) (time.Time, error) {
	v := r.URL.Query().Get("since")
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, errInvalid("Issue", "since", "invalid", "since must be an ISO 8601 time")
	}
	return t, nil
}

func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		since, err := parseSince(r)
		if err != nil {
			return 0, nil, err
		}
		q := r.URL.Query()
		f := issueFilter{state: firstNonEmpty(q.Get("state"), "open"), assignee: q.Get("assignee"), creator: q.Get("creator"),
			milestone: q.Get("milestone"), since: since}
		if q.Get("labels") != "" {
			f.labels = strings.Split(q.Get("labels"), ",")
		}
		var list []*issue
		for _, i := range rp.Issues {
			if f.keep(i) {
				list = append(list, i)
			}
		}
		sortIssues(list, q.Get("sort"), q.Get("direction"))
		out := []obj{}
		for _, i := range page(w, r, t.links, list) {
			out = append(out, t.issueObj(i))
		}
		return http.StatusOK, out, nil
	})
}

func (s *Server) addAssignees(w http.ResponseWriter, r *http.Request) {
	s.changeAssignees(w, r, http.StatusCreated, (*tx).assign)
}

func (s *Server) removeAssignees(w http.ResponseWriter, r *http.Request) {
	s.changeAssignees(w, r, http.StatusOK, (*tx).unassign)
}

func (s *Server) changeAssignees(w http.ResponseWriter, r *http.Request, code int, change func(t *tx, i *issue, logins []string)) {
	var in struct {
		Assignees []string `json:"assignees"`
	}
	if !decode(w, r, &in) {
		return
	}
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		change(t, i, in.Assignees)
		return code, t.issueObj(i), nil
	})
}
