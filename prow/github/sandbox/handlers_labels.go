package sandbox

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

func (s *Server) listLabels(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		labels := append([]*label(nil), rp.Labels...)
		sort.SliceStable(labels, func(a, b int) bool { return labels[a].ID < labels[b].ID })
		return http.StatusOK, page(w, r, t.links, t.labelsObj(rp, labels)), nil
	})
}

func (s *Server) createLabel(w http.ResponseWriter, r *http.Request) {
	var in labelInput
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		l, err := t.createLabel(rp, in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, t.labelObj(rp, l), nil
	})
}

func (s *Server) getLabel(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		l := rp.label(r.PathValue("name"))
		if l == nil {
			return 0, nil, errNotFound()
		}
		return http.StatusOK, t.labelObj(rp, l), nil
	})
}

func (s *Server) updateLabel(w http.ResponseWriter, r *http.Request) {
	var in labelInput
	if !decode(w, r, &in) {
		return
	}
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		l, err := t.updateLabel(rp, r.PathValue("name"), in)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.labelObj(rp, l), nil
	})
}

func (s *Server) deleteLabel(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		return http.StatusNoContent, nil, t.deleteLabel(rp, r.PathValue("name"))
	})
}

func (s *Server) listMilestones(w http.ResponseWriter, r *http.Request) {
	s.doRepo(w, r, func(t *tx, rp *repo) (int, any, error) {
		state := firstNonEmpty(r.URL.Query().Get("state"), "open")
		out := []any{}
		for _, m := range rp.Milestones {
			if state == "all" || m.State == state {
				out = append(out, t.milestoneObj(rp, m))
			}
		}
		return http.StatusOK, page(w, r, t.links, out), nil
	})
}

func (s *Server) listIssueLabels(w http.ResponseWriter, r *http.Request) {
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		return http.StatusOK, page(w, r, t.links, t.labelsObj(i.Repo, sortedLabels(i.Labels))), nil
	})
}

// labelNames reads the body of the issue label endpoints: {"labels":
// [...]}, a bare list of names, or a list of {"name": ...}.
func labelNames(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	var raw json.RawMessage
	if !decode(w, r, &raw) {
		return nil, false
	}
	if strings.HasPrefix(strings.TrimSpace(string(raw)), "{") {
		var wrapped struct {
			Labels json.RawMessage `json:"labels"`
		}
		if err := json.Unmarshal(raw, &wrapped); err != nil {
			writeError(w, &apiError{Status: http.StatusBadRequest, Message: "Problems parsing JSON"})
			return nil, false
		}
		raw = wrapped.Labels
	}
	if len(raw) == 0 {
		return nil, true
	}
	var names []string
	if json.Unmarshal(raw, &names) == nil {
		return names, true
	}
	var named []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(raw, &named); err != nil {
		writeError(w, &apiError{Status: http.StatusUnprocessableEntity, Message: "Validation Failed",
			Errors: []obj{{"resource": "Label", "field": "labels", "code": "invalid"}}})
		return nil, false
	}
	for _, n := range named {
		names = append(names, n.Name)
	}
	return names, true
}

// labelsChange applies change to the request's issue and answers with its
// labels.
func (s *Server) labelsChange(w http.ResponseWriter, r *http.Request, names []string, change func(t *tx, i *issue, names []string) error) {
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		if err := change(t, i, names); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, t.labelsObj(i.Repo, sortedLabels(i.Labels)), nil
	})
}

func (s *Server) addIssueLabels(w http.ResponseWriter, r *http.Request) {
	if names, ok := labelNames(w, r); ok {
		s.labelsChange(w, r, names, (*tx).addLabels)
	}
}

func (s *Server) setIssueLabels(w http.ResponseWriter, r *http.Request) {
	if names, ok := labelNames(w, r); ok {
		s.labelsChange(w, r, names, (*tx).setLabels)
	}
}

func (s *Server) clearIssueLabels(w http.ResponseWriter, r *http.Request) {
	s.doIssue(w, r, func(t *tx, i *issue) (int, any, error) {
		return http.StatusNoContent, nil, t.setLabels(i, nil)
	})
}

func (s *Server) removeIssueLabel(w http.ResponseWriter, r *http.Request) {
	s.labelsChange(w, r, []string{r.PathValue("name")}, func(t *tx, i *issue, names []string) error {
		return t.removeIssueLabel(i, names[0])
	})
}
