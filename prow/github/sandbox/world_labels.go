package sandbox

import (
	"net/http"
	"strings"
)

// labelInput is what creating or updating a repository label takes.
type labelInput struct {
	Name        *string `json:"name"`
	NewName     *string `json:"new_name"`
	Color       *string `json:"color"`
	Description *string `json:"description"`
}

func (in labelInput) check() error {
	if in.Color != nil && !colorPattern.MatchString(strings.TrimPrefix(*in.Color, "#")) {
		return errInvalid("Label", "color", "invalid", "")
	}
	return nil
}

// createLabel adds a repository label.
func (t *tx) createLabel(rp *repo, in labelInput) (*label, error) {
	if err := t.need(rp, "write"); err != nil {
		return nil, err
	}
	if in.Name == nil || *in.Name == "" {
		return nil, errInvalid("Label", "name", "missing_field", "")
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	if rp.label(*in.Name) != nil {
		return nil, errInvalid("Label", "name", "already_exists", "")
	}
	l := &label{ID: t.w.id(), Name: *in.Name, Color: "ededed"}
	if in.Color != nil {
		l.Color = strings.ToLower(strings.TrimPrefix(*in.Color, "#"))
	}
	if in.Description != nil {
		l.Description = *in.Description
	}
	rp.Labels = append(rp.Labels, l)
	return l, nil
}

// updateLabel renames or recolors a repository label; issues keep it.
func (t *tx) updateLabel(rp *repo, name string, in labelInput) (*label, error) {
	if err := t.need(rp, "write"); err != nil {
		return nil, err
	}
	l := rp.label(name)
	if l == nil {
		return nil, errNotFound()
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	if in.NewName == nil && in.Name != nil {
		in.NewName = in.Name // go-github and older clients send name
	}
	if in.NewName != nil && *in.NewName != "" {
		if other := rp.label(*in.NewName); other != nil && other != l {
			return nil, errInvalid("Label", "name", "already_exists", "")
		}
		l.Name = *in.NewName
	}
	if in.Color != nil {
		l.Color = strings.ToLower(strings.TrimPrefix(*in.Color, "#"))
	}
	if in.Description != nil {
		l.Description = *in.Description
	}
	return l, nil
}

// deleteLabel removes a repository label, and with it from every issue.
func (t *tx) deleteLabel(rp *repo, name string) error {
	if err := t.need(rp, "write"); err != nil {
		return err
	}
	l := rp.label(name)
	if l == nil {
		return errNotFound()
	}
	rp.Labels = removeLabel(rp.Labels, l)
	for _, i := range rp.Issues {
		i.Labels = removeLabel(i.Labels, l)
	}
	return nil
}

func removeLabel(list []*label, l *label) []*label {
	out := list[:0:0]
	for _, x := range list {
		if x != l {
			out = append(out, x)
		}
	}
	return out
}

// addLabels puts labels on i, creating unknown ones as GitHub does, and
// sends labeled for each one new to it.
func (t *tx) addLabels(i *issue, names []string) error {
	if err := t.need(i.Repo, "triage"); err != nil {
		return err
	}
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			return errInvalid("Label", "name", "missing_field", "")
		}
		l := i.Repo.label(name)
		if l == nil {
			l = &label{ID: t.w.id(), Name: name, Color: "ededed"}
			i.Repo.Labels = append(i.Repo.Labels, l)
		}
		if i.hasLabel(l.Name) {
			continue
		}
		i.Labels, i.UpdatedAt = append(i.Labels, l), t.w.now()
		t.issueEvent(i, "labeled", obj{"label": t.labelObj(i.Repo, l)})
	}
	return nil
}

// removeIssueLabel takes a label off i; 404 when it does not carry it,
// as on GitHub.
func (t *tx) removeIssueLabel(i *issue, name string) error {
	if err := t.need(i.Repo, "triage"); err != nil {
		return err
	}
	for _, l := range i.Labels {
		if strings.EqualFold(l.Name, name) {
			i.Labels, i.UpdatedAt = removeLabel(i.Labels, l), t.w.now()
			t.issueEvent(i, "unlabeled", obj{"label": t.labelObj(i.Repo, l)})
			return nil
		}
	}
	return &apiError{Status: http.StatusNotFound, Message: "Label does not exist"}
}

// setLabels makes names i's labels.
func (t *tx) setLabels(i *issue, names []string) error {
	if err := t.need(i.Repo, "triage"); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, n := range names {
		keep[strings.ToLower(strings.TrimSpace(n))] = true
	}
	for _, l := range append([]*label(nil), i.Labels...) {
		if !keep[strings.ToLower(l.Name)] {
			if err := t.removeIssueLabel(i, l.Name); err != nil {
				return err
			}
		}
	}
	return t.addLabels(i, names)
}

// setAssignees makes logins i's assignees; logins that cannot be assigned
// are skipped, as on GitHub.
func (t *tx) setAssignees(i *issue, logins []string) {
	keep := map[string]bool{}
	for _, l := range logins {
		keep[strings.ToLower(l)] = true
	}
	var drop []string
	for _, a := range i.Assignees {
		if !keep[strings.ToLower(a)] {
			drop = append(drop, a)
		}
	}
	t.unassign(i, drop)
	t.assign(i, logins)
}

// assign adds assignees, skipping those who cannot be assigned (and
// doing nothing for actors who may not triage), as on GitHub.
func (t *tx) assign(i *issue, logins []string) {
	if !t.canManage(i.Repo) {
		return
	}
	for _, login := range logins {
		if !t.w.assignable(i, login) || containsFold(i.Assignees, login) || len(i.Assignees) >= 10 {
			continue
		}
		u := t.w.user(login)
		i.Assignees, i.UpdatedAt = append(i.Assignees, u.Login), t.w.now()
		t.issueEvent(i, "assigned", obj{"assignee": t.userObj(u.Login)})
	}
}

func (t *tx) unassign(i *issue, logins []string) {
	if !t.canManage(i.Repo) {
		return
	}
	for _, login := range logins {
		for _, a := range i.Assignees {
			if strings.EqualFold(a, login) {
				i.Assignees, i.UpdatedAt = removeFold(i.Assignees, a), t.w.now()
				t.issueEvent(i, "unassigned", obj{"assignee": t.userObj(a)})
			}
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func removeFold(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if !strings.EqualFold(x, s) {
			out = append(out, x)
		}
	}
	return out
}
