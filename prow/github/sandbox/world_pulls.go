package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// pullInput is what creating or updating a pull request takes.
type pullInput struct {
	Title               *string `json:"title"`
	Body                *string `json:"body"`
	Head                string  `json:"head"`
	Base                *string `json:"base"`
	State               *string `json:"state"`
	Draft               bool    `json:"draft"`
	MaintainerCanModify *bool   `json:"maintainer_can_modify"`
}

// createPull opens a pull request from a branch of rp ("branch" or
// "owner:branch"; forks are not modeled).
func (t *tx) createPull(rp *repo, in pullInput) (*issue, error) {
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		return nil, errInvalid("PullRequest", "title", "missing_field", "")
	}
	head, headSHA, baseSHA, err := t.pullBranches(rp, in)
	if err != nil {
		return nil, err
	}
	now := t.w.now()
	i := &issue{ID: t.w.id(), Repo: rp, Number: rp.NextNumber, Title: *in.Title, Author: t.login(), State: "open", CreatedAt: now, UpdatedAt: now,
		PR: &pull{Base: *in.Base, Head: head, HeadSHA: headSHA, BaseSHA: baseSHA, Draft: in.Draft}}
	if in.Body != nil {
		i.Body = *in.Body
	}
	if in.MaintainerCanModify != nil {
		i.PR.MaintainerCanEdit = *in.MaintainerCanModify
	}
	if err := rp.Git.updateRefs(t.ctx, refUpdate{Ref: fmt.Sprintf("refs/pull/%d/head", i.Number), New: headSHA}); err != nil {
		return nil, err
	}
	rp.Issues[i.Number] = i
	rp.NextNumber++
	t.issueEvent(i, "opened", nil)
	if err := t.pullWorkflows(i); err != nil {
		return nil, err
	}
	return i, nil
}

// pullBranches checks the head and base of a new pull request: both exist,
// head has commits base lacks, and no open pull request joins them yet.
func (t *tx) pullBranches(rp *repo, in pullInput) (head, headSHA, baseSHA string, err error) {
	if in.Base == nil || *in.Base == "" {
		return "", "", "", errInvalid("PullRequest", "base", "missing_field", "")
	}
	head = in.Head
	if owner, branch, ok := strings.Cut(head, ":"); ok {
		if !strings.EqualFold(owner, rp.Owner) {
			return "", "", "", errInvalid("PullRequest", "head", "invalid", "the sandbox has no forks: head must be a branch of "+rp.fullName())
		}
		head = branch
	}
	headSHA, okHead := rp.Branches[head]
	baseSHA, okBase := rp.Branches[*in.Base]
	switch {
	case !okHead:
		return "", "", "", errInvalid("PullRequest", "head", "invalid", "")
	case !okBase:
		return "", "", "", errInvalid("PullRequest", "base", "invalid", "")
	}
	for _, i := range rp.openPullsWith(head, true) {
		if i.PR.Base == *in.Base {
			return "", "", "", errInvalid("PullRequest", "", "custom", fmt.Sprintf("A pull request already exists for %s:%s.", rp.Owner, head))
		}
	}
	if commits, err := rp.Git.log(t.ctx, "-1", headSHA, "^"+baseSHA); err != nil || len(commits) == 0 {
		return "", "", "", errInvalid("PullRequest", "", "custom", fmt.Sprintf("No commits between %s and %s", *in.Base, head))
	}
	return head, headSHA, baseSHA, nil
}

// updatePull edits a pull request: title, body, base, state.
func (t *tx) updatePull(i *issue, in pullInput) error {
	if !strings.EqualFold(t.login(), i.Author) {
		if err := t.need(i.Repo, "write"); err != nil {
			return err
		}
	}
	if in.Base != nil && *in.Base != i.PR.Base {
		if _, ok := i.Repo.Branches[*in.Base]; !ok {
			return errInvalid("PullRequest", "base", "invalid", "")
		}
		from := obj{"ref": obj{"from": i.PR.Base}, "sha": obj{"from": t.baseSHA(i)}}
		i.PR.Base, i.UpdatedAt = *in.Base, t.w.now()
		t.issueEvent(i, "edited", obj{"changes": obj{"base": from}})
	}
	if in.MaintainerCanModify != nil {
		i.PR.MaintainerCanEdit = *in.MaintainerCanModify
	}
	return t.updateIssue(i, issueInput{Title: in.Title, Body: in.Body, State: in.State})
}

// mergeable says whether an open pull request merges cleanly into its
// base; nil while GitHub would still be computing it: under
// Options.LazyMergeable, until a read (ask) since its head or base moved
// has asked for it.
func (t *tx) mergeable(i *issue, ask bool) *bool {
	base, head := t.baseSHA(i), i.PR.HeadSHA
	if asked := [2]string{base, head}; t.s != nil && t.s.opts.LazyMergeable && i.PR.MergeAsked != asked {
		if ask {
			i.PR.MergeAsked = asked
		}
		return nil
	}
	if g := i.Repo.Git; !g.mergeKnown(base, head) {
		var heads []string
		for _, o := range i.Repo.Issues {
			if o.PR != nil && o.State == "open" && t.baseSHA(o) == base {
				heads = append(heads, o.PR.HeadSHA)
			}
		}
		g.noteFastForwards(t.ctx, base, heads)
	}
	ok := i.Repo.Git.canMerge(t.ctx, base, head)
	return &ok
}

// setDraft converts a pull request to a draft or marks it ready.
func (t *tx) setDraft(i *issue, draft bool) {
	if i.PR.Draft == draft || i.State != "open" {
		return
	}
	i.PR.Draft, i.UpdatedAt = draft, t.w.now()
	action := "ready_for_review"
	if draft {
		action = "converted_to_draft"
	}
	t.issueEvent(i, action, nil)
}

// mergeInput is what merging takes.
type mergeInput struct {
	SHA           string `json:"sha"`
	MergeMethod   string `json:"merge_method"`
	CommitTitle   string `json:"commit_title"`
	CommitMessage string `json:"commit_message"`
}

var errNotMergeable = &apiError{Status: http.StatusMethodNotAllowed, Message: "Pull Request is not mergeable"}

// mergeCheck refuses what GitHub refuses: 409 when sha is not the head,
// 405 when the pull request cannot merge.
func (t *tx) mergeCheck(i *issue, in mergeInput) error {
	if err := t.need(i.Repo, "write"); err != nil {
		return err
	}
	switch in.MergeMethod {
	case "", "merge", "squash", "rebase":
	default:
		return errInvalid("PullRequest", "merge_method", "invalid", "merge_method must be merge, squash or rebase")
	}
	switch p := i.PR; {
	case p.Merged || i.State != "open":
		return errNotMergeable
	case p.Draft:
		return &apiError{Status: http.StatusMethodNotAllowed, Message: "Pull Request is still a draft"}
	case in.SHA != "" && in.SHA != p.HeadSHA:
		return &apiError{Status: http.StatusConflict, Message: "Head branch was modified. Review and try the merge again."}
	}
	if _, ok := i.Repo.Branches[i.PR.Base]; !ok {
		return errNotMergeable
	}
	return t.protectionCheck(i)
}

// mergeCommitMessage is the message GitHub gives the commit of method.
func mergeCommitMessage(i *issue, method string, in mergeInput) string {
	switch {
	case method == "squash":
		return firstNonEmpty(in.CommitTitle, fmt.Sprintf("%s (#%d)", i.Title, i.Number)) + "\n\n" + in.CommitMessage
	case method == "merge" && in.CommitMessage != "":
		return firstNonEmpty(in.CommitTitle, fmt.Sprintf("Merge pull request #%d from %s/%s", i.Number, i.Repo.Owner, i.PR.Head)) + "\n\n" + in.CommitMessage
	}
	return mergeMessage(i, in.CommitTitle)
}

// merge merges a pull request into its base branch with a real commit;
// closed, then push follow.
func (t *tx) merge(i *issue, in mergeInput) (string, error) {
	if err := t.mergeCheck(i, in); err != nil {
		return "", err
	}
	rp, p := i.Repo, i.PR
	method, base, now := firstNonEmpty(in.MergeMethod, "merge"), rp.Branches[p.Base], t.w.now()
	message := strings.TrimRight(mergeCommitMessage(i, method, in), "\n")
	sha, err := rp.Git.mergeCommits(t.ctx, method, base, p.HeadSHA, message, t.w.signatureOf(t.login(), now))
	if errors.Is(err, errConflict) {
		return "", errNotMergeable
	}
	if err != nil {
		return "", fmt.Errorf("merge %s#%d: %w", rp.fullName(), i.Number, err)
	}
	if err := rp.Git.updateRefs(t.ctx, refUpdate{Ref: "refs/heads/" + p.Base, New: sha, Old: base}); err != nil {
		return "", fmt.Errorf("merge %s#%d: %w", rp.fullName(), i.Number, err)
	}
	p.Merged, p.MergeSHA, p.MergedAt, p.MergedBy, p.BaseSHA = true, sha, &now, t.login(), base
	i.State, i.ClosedAt, i.ClosedBy, i.UpdatedAt = "closed", &now, t.login(), now
	t.issueEvent(i, "closed", nil)
	return sha, t.branchMoved(rp, p.Base, base, sha, false)
}

// notCollaborator is GitHub's answer to a review request for someone
// without access.
func notCollaborator(rp *repo) error {
	return errUnprocessable(fmt.Sprintf("Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the %s repository.", rp.fullName()))
}

// requestReviews asks users and teams to review; all or none.
func (t *tx) requestReviews(i *issue, users, teams []string) error {
	if err := t.need(i.Repo, "triage"); err != nil {
		return err
	}
	rp := i.Repo
	for _, login := range users {
		if strings.EqualFold(login, i.Author) {
			return errUnprocessable("Review cannot be requested from pull request author.")
		}
		if t.w.user(login) == nil || t.w.permission(rp, login) == "none" {
			return notCollaborator(rp)
		}
	}
	o := t.w.org(rp.Owner)
	for _, slug := range teams {
		if o == nil || o.Teams[strings.ToLower(slug)] == nil {
			return notCollaborator(rp)
		}
	}
	for _, login := range users {
		if !containsFold(i.PR.RequestedReviewers, login) {
			u := t.w.user(login)
			i.PR.RequestedReviewers = append(i.PR.RequestedReviewers, u.Login)
			t.issueEvent(i, "review_requested", obj{"requested_reviewer": t.userObj(u.Login)})
		}
	}
	for _, slug := range teams {
		tm := o.Teams[strings.ToLower(slug)]
		if !containsFold(i.PR.RequestedTeams, tm.Slug) {
			i.PR.RequestedTeams = append(i.PR.RequestedTeams, tm.Slug)
			t.issueEvent(i, "review_requested", obj{"requested_team": t.teamObj(tm, false)})
		}
	}
	return nil
}

// unrequestReviews withdraws review requests.
func (t *tx) unrequestReviews(i *issue, users, teams []string) error {
	if err := t.need(i.Repo, "triage"); err != nil {
		return err
	}
	for _, login := range users {
		if containsFold(i.PR.RequestedReviewers, login) {
			i.PR.RequestedReviewers = removeFold(i.PR.RequestedReviewers, login)
			t.issueEvent(i, "review_request_removed", obj{"requested_reviewer": t.userObj(login)})
		}
	}
	o := t.w.org(i.Repo.Owner)
	for _, slug := range teams {
		if !containsFold(i.PR.RequestedTeams, slug) {
			continue
		}
		i.PR.RequestedTeams = removeFold(i.PR.RequestedTeams, slug)
		if o != nil && o.Teams[strings.ToLower(slug)] != nil {
			t.issueEvent(i, "review_request_removed", obj{"requested_team": t.teamObj(o.Teams[strings.ToLower(slug)], false)})
		}
	}
	return nil
}
