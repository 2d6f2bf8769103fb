package sandbox

import (
	"fmt"
	"strings"
)

// reviewInput is what creating a review takes.
type reviewInput struct {
	Body     string               `json:"body"`
	Event    string               `json:"event"`
	CommitID string               `json:"commit_id"`
	Comments []reviewCommentInput `json:"comments"`
}

// reviewCommentInput is a review comment, alone or in a review.
type reviewCommentInput struct {
	Body      string `json:"body"`
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Position  int    `json:"position"`
	Side      string `json:"side"`
	CommitID  string `json:"commit_id"`
	InReplyTo int64  `json:"in_reply_to"`
}

var reviewStates = map[string]string{"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED", "": "PENDING"}

// createReview reviews a pull request as the actor: submitted (and a
// review comment webhook per comment) follow unless it is pending.
func (t *tx) createReview(i *issue, in reviewInput) (*review, error) {
	state, ok := reviewStates[in.Event]
	if !ok {
		return nil, errInvalid("PullRequestReview", "event", "invalid", "event must be APPROVE, REQUEST_CHANGES or COMMENT")
	}
	if strings.EqualFold(t.login(), i.Author) {
		switch state {
		case "APPROVED":
			return nil, errUnprocessable("Can not approve your own pull request")
		case "CHANGES_REQUESTED":
			return nil, errUnprocessable("Can not request changes on your own pull request")
		}
	}
	if (state == "CHANGES_REQUESTED" || state == "COMMENTED") && strings.TrimSpace(in.Body) == "" && len(in.Comments) == 0 {
		return nil, errUnprocessable(fmt.Sprintf("Review Can not %s without a body", strings.ToLower(strings.ReplaceAll(in.Event, "_", " "))))
	}
	commit := firstNonEmpty(in.CommitID, i.PR.HeadSHA)
	rv := &review{ID: t.w.id(), Author: t.login(), Body: in.Body, State: state, CommitID: commit, SubmittedAt: t.w.now()}
	var comments []*reviewComment
	for _, c := range in.Comments {
		c.CommitID = firstNonEmpty(c.CommitID, commit)
		rc, err := t.newReviewComment(i, rv.ID, c)
		if err != nil {
			return nil, err
		}
		comments = append(comments, rc)
	}
	i.PR.Reviews = append(i.PR.Reviews, rv)
	for _, rc := range comments {
		i.PR.ReviewComments = append(i.PR.ReviewComments, rc)
		i.Repo.ReviewComment[rc.ID] = rc
	}
	if state == "PENDING" {
		return rv, nil
	}
	i.PR.RequestedReviewers = removeFold(i.PR.RequestedReviewers, t.login())
	i.UpdatedAt = t.w.now()
	t.reviewEvent(i, rv, "submitted")
	for _, rc := range comments {
		t.reviewCommentEvent(rc, "created")
	}
	return rv, nil
}

// newReviewComment builds a comment on a line of the pull request's diff.
func (t *tx) newReviewComment(i *issue, reviewID int64, in reviewCommentInput) (*reviewComment, error) {
	if strings.TrimSpace(in.Body) == "" {
		return nil, errInvalid("PullRequestReviewComment", "body", "missing_field", "")
	}
	now := t.w.now()
	rc := &reviewComment{ID: t.w.id(), Issue: i, ReviewID: reviewID, Author: t.login(), Body: in.Body, Path: in.Path,
		Line: max(in.Line, in.Position), Side: firstNonEmpty(in.Side, "RIGHT"), CommitID: firstNonEmpty(in.CommitID, i.PR.HeadSHA),
		CreatedAt: now, UpdatedAt: now}
	if in.InReplyTo != 0 {
		parent := i.Repo.ReviewComment[in.InReplyTo]
		if parent == nil || parent.Issue != i {
			return nil, errInvalid("PullRequestReviewComment", "in_reply_to", "invalid", "")
		}
		rc.InReplyTo, rc.Path, rc.Line, rc.Side, rc.DiffHunk = parent.ID, parent.Path, parent.Line, parent.Side, parent.DiffHunk
		return rc, nil
	}
	files, err := i.Repo.Git.diff(t.ctx, t.baseSHA(i), i.PR.HeadSHA)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Filename == in.Path {
			rc.DiffHunk = firstHunk(f.Patch)
			if rc.Line <= 0 {
				rc.Line = 1
			}
			return rc, nil
		}
	}
	return nil, errInvalid("PullRequestReviewComment", "path", "invalid", fmt.Sprintf("path %q is not changed by the pull request", in.Path))
}

// firstHunk is the diff_hunk of a comment: the patch up to its first
// hunk's end.
func firstHunk(patch string) string {
	lines := strings.Split(patch, "\n")
	for k := 1; k < len(lines); k++ {
		if strings.HasPrefix(lines[k], "@@") {
			return strings.Join(lines[:k], "\n")
		}
	}
	return patch
}

// createReviewComment comments on the diff alone, which on GitHub makes a
// review of its own.
func (t *tx) createReviewComment(i *issue, in reviewCommentInput) (*reviewComment, error) {
	rv := &review{ID: t.w.id(), Author: t.login(), State: "COMMENTED", CommitID: firstNonEmpty(in.CommitID, i.PR.HeadSHA), SubmittedAt: t.w.now()}
	rc, err := t.newReviewComment(i, rv.ID, in)
	if err != nil {
		return nil, err
	}
	i.PR.Reviews = append(i.PR.Reviews, rv)
	i.PR.ReviewComments = append(i.PR.ReviewComments, rc)
	i.Repo.ReviewComment[rc.ID] = rc
	t.reviewCommentEvent(rc, "created")
	t.reviewEvent(i, rv, "submitted")
	return rc, nil
}

// dismissReview dismisses an approval or change request.
func (t *tx) dismissReview(i *issue, rv *review, message string) error {
	if err := t.need(i.Repo, "write"); err != nil {
		return err
	}
	if rv.State != "APPROVED" && rv.State != "CHANGES_REQUESTED" {
		return errUnprocessable(fmt.Sprintf("Can not dismiss a %s pull request review", strings.ToLower(rv.State)))
	}
	if strings.TrimSpace(message) == "" {
		return errInvalid("PullRequestReview", "message", "missing_field", "")
	}
	rv.State = "DISMISSED"
	t.reviewEvent(i, rv, "dismissed")
	return nil
}
