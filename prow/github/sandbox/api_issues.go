package sandbox

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	rp, i, ok := s.lockedIssue(w, r, false)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.issueObj(rp, i))
}

func (s *Server) editIssue(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Title *string `json:"title"`
		Body  *string `json:"body"`
		State *string `json:"state"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, false)
	if !ok {
		return
	}
	if !strings.EqualFold(caller(r), i.User) && !s.needWrite(w, r, rp) {
		return
	}
	defer s.mu.Unlock()
	now := s.w.now()
	if in.Title != nil && *in.Title != i.Title {
		old := i.Title
		i.Title = *in.Title
		s.issueEvent(rp, i, caller(r), "edited", obj{"changes": obj{"title": obj{"from": old}}})
	}
	if in.Body != nil && *in.Body != i.Body {
		old := i.Body
		i.Body = *in.Body
		s.issueEvent(rp, i, caller(r), "edited", obj{"changes": obj{"body": obj{"from": old}}})
	}
	if in.State != nil && *in.State != i.State {
		if *in.State != "open" && *in.State != "closed" {
			apiError(w, http.StatusUnprocessableEntity, "Validation Failed")
			return
		}
		i.State = *in.State
		action := "reopened"
		i.ClosedAt = nil
		if i.State == "closed" {
			action, i.ClosedAt = "closed", &now
		}
		s.issueEvent(rp, i, caller(r), action, nil)
	}
	i.UpdatedAt = now
	writeJSON(w, http.StatusOK, s.issueObj(rp, i))
}

func (s *Server) listIssueLabels(w http.ResponseWriter, r *http.Request) {
	rp, i, ok := s.lockedIssue(w, r, false)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, page(w, r, s.issueLabels(rp, i.Labels)))
}

func (s *Server) addIssueLabels(w http.ResponseWriter, r *http.Request) {
	// GitHub takes {"labels": [...]} or a bare list.
	var raw json.RawMessage
	if !decode(w, r, &raw) {
		return
	}
	var in struct {
		Labels []string `json:"labels"`
	}
	if json.Unmarshal(raw, &in.Labels) != nil && json.Unmarshal(raw, &in) != nil {
		apiError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	rp, i, ok := s.lockedIssue(w, r, false)
	if !ok {
		return
	}
	if !s.needWrite(w, r, rp) {
		return
	}
	defer s.mu.Unlock()
	for _, name := range in.Labels {
		l, exists := rp.Labels[strings.ToLower(name)]
		if !exists { // GitHub creates unknown labels on the fly
			l = &label{ID: s.w.id(), Name: name, Color: "ededed"}
			rp.Labels[strings.ToLower(name)] = l
		}
		if containsFold(i.Labels, l.Name) {
			continue
		}
		i.Labels = append(i.Labels, l.Name)
		s.issueEvent(rp, i, caller(r), "labeled", obj{"label": s.labelObj(rp, l)})
	}
	writeJSON(w, http.StatusOK, s.issueLabels(rp, i.Labels))
}

func (s *Server) removeIssueLabel(w http.ResponseWriter, r *http.Request) {
	rp, i, ok := s.lockedIssue(w, r, false)
	if !ok {
		return
	}
	if !s.needWrite(w, r, rp) {
		return
	}
	defer s.mu.Unlock()
	name := r.PathValue("name")
	if !containsFold(i.Labels, name) {
		apiError(w, http.StatusNotFound, "Label does not exist")
		return
	}
	i.Labels = removeFold(i.Labels, name)
	if l, ok := rp.Labels[strings.ToLower(name)]; ok {
		s.issueEvent(rp, i, caller(r), "unlabeled", obj{"label": s.labelObj(rp, l)})
	}
	writeJSON(w, http.StatusOK, s.issueLabels(rp, i.Labels))
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	rp, i, ok := s.lockedIssue(w, r, false)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	out := make([]obj, 0, len(i.Comments))
	for _, id := range i.Comments {
		out = append(out, s.commentObj(rp, rp.Comments[id], i.Number))
	}
	writeJSON(w, http.StatusOK, page(w, r, out))
}

func (s *Server) commentEvent(rp *repo, i *issue, c *comment, sender, action string, changes obj) {
	o := s.eventBase(rp, sender, action)
	o["issue"], o["comment"] = s.issueObj(rp, i), s.commentObj(rp, c, i.Number)
	if changes != nil {
		o["changes"] = changes
	}
	s.hooks.send("issue_comment", o)
}

func (s *Server) createComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, false)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	if in.Body == "" {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	now := s.w.now()
	c := &comment{ID: s.w.id(), Body: in.Body, User: caller(r), CreatedAt: now, UpdatedAt: now}
	rp.Comments[c.ID], rp.CommentIssue[c.ID] = c, i.Number
	i.Comments = append(i.Comments, c.ID)
	s.commentEvent(rp, i, c, caller(r), "created", nil)
	writeJSON(w, http.StatusCreated, s.commentObj(rp, c, i.Number))
}

// lockedComment finds a comment by id; on false the answer was written.
func (s *Server) lockedComment(w http.ResponseWriter, r *http.Request) (*repo, *issue, *comment, bool) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return nil, nil, nil, false
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, found := rp.Comments[id]
	if !found {
		s.mu.Unlock()
		apiError(w, http.StatusNotFound, "Not Found")
		return nil, nil, nil, false
	}
	return rp, rp.Issues[rp.CommentIssue[id]], c, true
}

func (s *Server) getComment(w http.ResponseWriter, r *http.Request) {
	rp, i, c, ok := s.lockedComment(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, s.commentObj(rp, c, i.Number))
}

func (s *Server) editComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	if !decode(w, r, &in) {
		return
	}
	rp, i, c, ok := s.lockedComment(w, r)
	if !ok {
		return
	}
	if !strings.EqualFold(c.User, caller(r)) && !s.needWrite(w, r, rp) {
		return
	}
	defer s.mu.Unlock()
	old := c.Body
	c.Body, c.UpdatedAt = in.Body, s.w.now()
	s.commentEvent(rp, i, c, caller(r), "edited", obj{"body": obj{"from": old}})
	writeJSON(w, http.StatusOK, s.commentObj(rp, c, i.Number))
}

func (s *Server) deleteComment(w http.ResponseWriter, r *http.Request) {
	rp, i, c, ok := s.lockedComment(w, r)
	if !ok {
		return
	}
	if !strings.EqualFold(c.User, caller(r)) && !s.needWrite(w, r, rp) {
		return
	}
	defer s.mu.Unlock()
	delete(rp.Comments, c.ID)
	delete(rp.CommentIssue, c.ID)
	kept := i.Comments[:0]
	for _, id := range i.Comments {
		if id != c.ID {
			kept = append(kept, id)
		}
	}
	i.Comments = kept
	s.commentEvent(rp, i, c, caller(r), "deleted", nil)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) addAssignees(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Assignees []string `json:"assignees"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, false)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	for _, login := range in.Assignees {
		if !s.w.assignable(rp, login) || containsFold(i.Assignees, login) {
			continue // GitHub silently skips users it cannot assign
		}
		u, _ := s.w.user(login)
		i.Assignees = append(i.Assignees, u.Login)
		s.issueEvent(rp, i, caller(r), "assigned", obj{"assignee": s.userObj(u.Login)})
	}
	writeJSON(w, http.StatusCreated, s.issueObj(rp, i))
}

func (s *Server) removeAssignees(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Assignees []string `json:"assignees"`
	}
	rp, i, ok := s.decodeIssue(w, r, &in, false)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	for _, login := range in.Assignees {
		if containsFold(i.Assignees, login) {
			i.Assignees = removeFold(i.Assignees, login)
			s.issueEvent(rp, i, caller(r), "unassigned", obj{"assignee": s.userObj(login)})
		}
	}
	writeJSON(w, http.StatusOK, s.issueObj(rp, i))
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	var in struct {
		State       string `json:"state"`
		TargetURL   string `json:"target_url"`
		Description string `json:"description"`
		Context     string `json:"context"`
	}
	rp, ok := s.decodeRepoWrite(w, r, &in)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	switch in.State {
	case "pending", "success", "failure", "error":
	default:
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed")
		return
	}
	sha := r.PathValue("sha")
	now := s.w.now()
	st := &status{ID: s.w.id(), Context: firstNonEmpty(in.Context, "default"), State: in.State, Description: in.Description,
		TargetURL: in.TargetURL, Creator: caller(r), CreatedAt: now, UpdatedAt: now}
	rp.Statuses[sha] = append(rp.Statuses[sha], st)
	o := s.eventBase(rp, caller(r), "")
	o["sha"], o["state"], o["context"], o["description"], o["target_url"], o["id"] = sha, st.State, st.Context, st.Description, st.TargetURL, st.ID
	s.hooks.send("status", o)
	writeJSON(w, http.StatusCreated, s.statusObj(st))
}

// latestStatuses returns the newest status of each context on a ref.
func (s *Server) latestStatuses(rp *repo, ref string) []*status {
	sha := ref
	if resolved, err := git(rp.Git.bare, "rev-parse", "--verify", "-q", ref); err == nil && resolved != "" {
		sha = resolved
	}
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

func (s *Server) combinedStatus(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	latest := s.latestStatuses(rp, r.PathValue("ref"))
	state := "success"
	statuses := make([]obj, 0, len(latest))
	for _, st := range latest {
		statuses = append(statuses, s.statusObj(st))
		switch {
		case st.State == "failure" || st.State == "error":
			state = "failure"
		case st.State == "pending" && state == "success":
			state = "pending"
		}
	}
	if len(latest) == 0 {
		state = "pending"
	}
	writeJSON(w, http.StatusOK, obj{"state": state, "statuses": page(w, r, statuses), "sha": r.PathValue("ref"), "total_count": len(statuses),
		"repository": s.repoObj(rp), "commit_url": "", "url": ""})
}

func (s *Server) listStatuses(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.lockedRepo(w, r)
	if !ok {
		return
	}
	defer s.mu.Unlock()
	all := rp.Statuses[r.PathValue("ref")]
	out := make([]obj, 0, len(all))
	for k := len(all) - 1; k >= 0; k-- {
		out = append(out, s.statusObj(all[k]))
	}
	writeJSON(w, http.StatusOK, page(w, r, out))
}
