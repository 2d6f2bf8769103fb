package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
)

// issueInput is what creating or updating an issue (or the issue side of
// a pull request) takes. Assignee and Milestone may be null, so they stay
// raw.
type issueInput struct {
	Title       *string         `json:"title"`
	Body        *string         `json:"body"`
	State       *string         `json:"state"`
	StateReason *string         `json:"state_reason"`
	Labels      *[]string       `json:"labels"`
	Assignees   *[]string       `json:"assignees"`
	Assignee    json.RawMessage `json:"assignee"`
	Milestone   json.RawMessage `json:"milestone"`
}

// emitFirst runs change, then puts the webhook opened sends before the
// ones change caused, as GitHub sends opened before labeled.
func (t *tx) emitFirst(change func(), opened func()) {
	n := len(t.events)
	change()
	later := append([]outgoing(nil), t.events[n:]...)
	t.events = t.events[:n]
	opened()
	t.events = append(t.events, later...)
}

// createIssue opens an issue as the actor.
func (t *tx) createIssue(rp *repo, in issueInput) (*issue, error) {
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		return nil, errInvalid("Issue", "title", "missing_field", "")
	}
	now := t.w.now()
	i := &issue{ID: t.w.id(), Repo: rp, Number: rp.NextNumber, Title: *in.Title, Author: t.login(), State: "open", CreatedAt: now, UpdatedAt: now}
	if in.Body != nil {
		i.Body = *in.Body
	}
	rp.Issues[i.Number] = i
	rp.NextNumber++
	var err error
	t.emitFirst(func() { err = t.applyIssueFields(i, in) }, func() { t.issueEvent(i, "opened", nil) })
	return i, err
}

// applyIssueFields applies labels, assignees and milestone; actors who
// may not triage are silently ignored, as on GitHub.
func (t *tx) applyIssueFields(i *issue, in issueInput) error {
	if !t.canManage(i.Repo) {
		return nil
	}
	if in.Milestone != nil {
		if err := t.setMilestone(i, in.Milestone); err != nil {
			return err
		}
	}
	if in.Labels != nil {
		if err := t.setLabels(i, *in.Labels); err != nil {
			return err
		}
	}
	logins, set := []string(nil), false
	if in.Assignees != nil {
		logins, set = *in.Assignees, true
	}
	if in.Assignee != nil {
		var one *string
		if err := json.Unmarshal(in.Assignee, &one); err != nil {
			return errInvalid("Issue", "assignee", "invalid", "")
		}
		if set = true; one != nil && *one != "" {
			logins = append(logins, *one)
		}
	}
	if set {
		t.setAssignees(i, logins)
	}
	return nil
}

// setMilestone sets (or with null clears) i's milestone by number.
func (t *tx) setMilestone(i *issue, raw json.RawMessage) error {
	var number *int
	if err := json.Unmarshal(raw, &number); err != nil {
		return errInvalid("Issue", "milestone", "invalid", "")
	}
	if number == nil {
		if i.Milestone != nil {
			old := i.Milestone
			i.Milestone = nil
			t.issueEvent(i, "demilestoned", obj{"milestone": t.milestoneObj(i.Repo, old)})
		}
		return nil
	}
	m := i.Repo.milestone(*number)
	if m == nil {
		return errInvalid("Issue", "milestone", "invalid", fmt.Sprintf("milestone %d does not exist", *number))
	}
	if i.Milestone != m {
		i.Milestone = m
		t.issueEvent(i, "milestoned", obj{"milestone": t.milestoneObj(i.Repo, m)})
	}
	return nil
}

// updateIssue edits an issue (or pull request): title, body and state by
// its author or triagers, the rest by triagers.
func (t *tx) updateIssue(i *issue, in issueInput) error {
	if !strings.EqualFold(t.login(), i.Author) {
		if err := t.need(i.Repo, "triage"); err != nil {
			return err
		}
	}
	changes := obj{}
	if in.Title != nil && *in.Title != i.Title {
		if strings.TrimSpace(*in.Title) == "" {
			return errInvalid("Issue", "title", "missing_field", "")
		}
		changes["title"], i.Title = obj{"from": i.Title}, *in.Title
	}
	if in.Body != nil && *in.Body != i.Body {
		changes["body"], i.Body = obj{"from": i.Body}, *in.Body
	}
	if len(changes) > 0 {
		i.UpdatedAt = t.w.now()
		t.issueEvent(i, "edited", obj{"changes": changes})
	}
	if err := t.applyIssueFields(i, in); err != nil {
		return err
	}
	if in.State == nil || *in.State == i.State {
		return nil
	}
	reason := ""
	if in.StateReason != nil {
		reason = *in.StateReason
	}
	switch *in.State {
	case "closed":
		t.closeIssue(i, firstNonEmpty(reason, "completed"))
	case "open":
		return t.reopenIssue(i)
	default:
		return errInvalid("Issue", "state", "invalid", "state must be open or closed")
	}
	return nil
}

func (t *tx) closeIssue(i *issue, reason string) {
	now := t.w.now()
	i.State, i.ClosedAt, i.ClosedBy, i.UpdatedAt = "closed", &now, t.login(), now
	if i.PR == nil {
		i.StateReason = reason
	} else {
		i.PR.BaseSHA = i.Repo.Branches[i.PR.Base]
	}
	t.issueEvent(i, "closed", nil)
}

func (t *tx) reopenIssue(i *issue) error {
	if i.PR != nil {
		if i.PR.Merged {
			return errUnprocessable("A merged pull request cannot be reopened")
		}
		if sha, ok := i.Repo.Branches[i.PR.Head]; !ok || sha != i.PR.HeadSHA {
			return errUnprocessable("The head branch of this pull request was deleted or changed; it cannot be reopened")
		}
	}
	i.State, i.ClosedAt, i.ClosedBy, i.UpdatedAt = "open", nil, "", t.w.now()
	if i.PR == nil {
		i.StateReason = "reopened"
	}
	t.issueEvent(i, "reopened", nil)
	return nil
}

// createComment comments on i as the actor.
func (t *tx) createComment(i *issue, body string) (*comment, error) {
	if strings.TrimSpace(body) == "" {
		return nil, errInvalid("IssueComment", "body", "missing_field", "")
	}
	if i.Locked && !t.w.can(i.Repo, t.login(), "write") {
		return nil, errForbidden("Unable to create comment because issue is locked.")
	}
	now := t.w.now()
	c := &comment{ID: t.w.id(), Issue: i, Author: t.login(), Body: body, CreatedAt: now, UpdatedAt: now}
	i.Comments, i.UpdatedAt = append(i.Comments, c), now
	i.Repo.Comments[c.ID] = c
	t.commentEvent(c, "created", nil)
	return c, nil
}

// mayChangeComment: its author, or anyone with write access.
func (t *tx) mayChangeComment(rp *repo, author string) error {
	if strings.EqualFold(author, t.login()) {
		return nil
	}
	return t.need(rp, "write")
}

func (t *tx) editComment(c *comment, body string) error {
	if err := t.mayChangeComment(c.Issue.Repo, c.Author); err != nil {
		return err
	}
	if strings.TrimSpace(body) == "" {
		return errInvalid("IssueComment", "body", "missing_field", "")
	}
	if body == c.Body {
		return nil
	}
	old := c.Body
	c.Body, c.UpdatedAt = body, t.w.now()
	t.commentEvent(c, "edited", obj{"body": obj{"from": old}})
	return nil
}

func (t *tx) deleteComment(c *comment) error {
	if err := t.mayChangeComment(c.Issue.Repo, c.Author); err != nil {
		return err
	}
	i := c.Issue
	delete(i.Repo.Comments, c.ID)
	kept := i.Comments[:0:0]
	for _, x := range i.Comments {
		if x != c {
			kept = append(kept, x)
		}
	}
	i.Comments = kept
	t.commentEvent(c, "deleted", nil)
	return nil
}
