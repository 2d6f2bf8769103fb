package hook

import (
	"fmt"
	"strings"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

// handledEvents are the event types hook normalizes for plugins; every
// other type is only forwarded to external plugins.
var handledEvents = map[string]bool{
	"issues": true, "issue_comment": true, "pull_request": true, "pull_request_review": true,
	"pull_request_review_comment": true, "push": true, "status": true, "check_run": true, "check_suite": true,
}

// Decode turns a delivery's payload into normalized events. Event types no
// plugin handles decode to no events and no error. A payload that is not
// valid for its event type is an error naming the type.
func Decode(eventType string, guid string, body []byte) (org, repo string, events []any, err error) {
	if !handledEvents[eventType] {
		org, repo = ownerOf(body)
		return org, repo, nil, nil
	}
	var e ghEvent
	// Read as encoding/json reads it, faster (json.go).
	if err := jsonUnmarshal(body, &e); err != nil {
		return "", "", nil, fmt.Errorf("decode %s payload: %w", eventType, err)
	}
	r := repoOf(e.Repo)
	switch eventType {
	case "issue_comment":
		events = []any{issueComment(guid, r, &e)}
	case "issues":
		events = issuesEvents(guid, r, &e)
	case "pull_request":
		events = pullRequestEvents(guid, r, &e)
	case "pull_request_review":
		events = reviewEvents(guid, r, &e)
	case "pull_request_review_comment":
		events = reviewCommentEvents(guid, r, &e)
	case "push":
		events = []any{pushEvent(guid, r, &e)}
	case "status":
		events = []any{plugins.StatusEvent{GUID: guid, Repo: r, SHA: e.SHA, Context: e.Context, State: e.State,
			Description: e.Description, TargetURL: e.TargetURL, Sender: e.Sender.Login}}
	case "check_run":
		c := e.CheckRun
		events = []any{plugins.CheckRunEvent{GUID: guid, Repo: r, Action: e.Action, Sender: e.Sender.Login, CheckRun: plugins.CheckRun{
			ID: c.ID, Name: c.Name, HeadSHA: c.HeadSHA, Status: c.Status, Conclusion: c.Conclusion, ExternalID: c.ExternalID,
			DetailsURL: c.DetailsURL, App: c.App.Slug, PullRequests: pullNumbers(c.PullRequests)}}}
	case "check_suite":
		c := e.CheckSuite
		events = []any{plugins.CheckSuiteEvent{GUID: guid, Repo: r, Action: e.Action, Sender: e.Sender.Login, Suite: plugins.CheckSuite{
			ID: c.ID, HeadSHA: c.HeadSHA, HeadBranch: c.HeadBranch, Status: c.Status, Conclusion: c.Conclusion, App: c.App.Slug,
			PullRequests: pullNumbers(c.PullRequests)}}}
	}
	return r.Org, r.Name, events, nil
}

// ownerOf reads the organization and repository of any payload (hook
// checked at intake that it is JSON).
func ownerOf(body []byte) (string, string) {
	full, org := ownerFields(body)
	if full != "" {
		o, repo, _ := strings.Cut(full, "/")
		return o, repo
	}
	return org, ""
}

func repoOf(r ghRepo) plugins.Repo {
	org := r.Owner.Login
	if org == "" {
		org = r.Owner.Name // push payloads name the owner
	}
	if org == "" {
		org, _, _ = strings.Cut(r.FullName, "/")
	}
	return plugins.Repo{Org: org, Name: r.Name, HTMLURL: r.HTMLURL, DefaultBranch: r.DefaultBranch, Private: r.Private}
}

func pullNumbers(prs []ghPullRef) []int {
	var out []int
	for _, p := range prs {
		out = append(out, p.Number)
	}
	return out
}

func logins(users []ghUser) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Login)
	}
	return out
}

func labelNames(labels []ghLabel) []string {
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		out = append(out, l.Name)
	}
	return out
}

func issueOf(i ghIssue) plugins.Issue {
	return plugins.Issue{Number: i.Number, Title: i.Title, Body: i.Body, HTMLURL: i.HTMLURL, State: i.State,
		Author: i.User.Login, AuthorAssociation: i.AuthorAssociation, Assignees: logins(i.Assignees),
		Labels: labelNames(i.Labels), IsPR: i.PullRequest != nil, Locked: i.Locked, CreatedAt: i.CreatedAt}
}

// pullOf is the one conversion of a webhook's pull request into the
// project's model of one, prow/github's.
func pullOf(p ghPull) github.PullRequest {
	return github.PullRequest{Number: p.Number, Title: p.Title, Body: p.Body, HTMLURL: p.HTMLURL, State: p.State,
		Draft: p.Draft, Merged: p.Merged, Mergeable: p.Mergeable, Author: p.User.Login, AuthorAssociation: p.AuthorAssociation,
		Assignees: logins(p.Assignees), RequestedReviewers: logins(p.RequestedReviewers), Labels: labelNames(p.Labels),
		BaseRef: p.Base.Ref, BaseSHA: p.Base.SHA, BaseRepo: p.Base.Repo.FullName,
		HeadRef: p.Head.Ref, HeadSHA: p.Head.SHA, HeadRepo: p.Head.Repo.FullName,
		Additions: p.Additions, Deletions: p.Deletions, ChangedFiles: p.ChangedFiles, CreatedAt: p.CreatedAt}
}

// commentAction maps GitHub's actions to the three comment actions.
func commentAction(action string) (plugins.CommentAction, bool) {
	switch action {
	case "created", "opened", "submitted":
		return plugins.CommentCreated, true
	case "edited":
		return plugins.CommentEdited, true
	case "deleted", "dismissed":
		return plugins.CommentDeleted, true
	}
	return "", false
}

// onIssue fills a generic comment's fields about the issue or PR.
func onIssue(c plugins.GenericCommentEvent, i plugins.Issue) plugins.GenericCommentEvent {
	c.Number, c.IsPR, c.IssueAuthor, c.IssueTitle, c.IssueBody = i.Number, i.IsPR, i.Author, i.Title, i.Body
	c.IssueState, c.IssueHTMLURL, c.Assignees, c.Labels = i.State, i.HTMLURL, i.Assignees, i.Labels
	return c
}

func prAsIssue(pr github.PullRequest) plugins.Issue {
	return plugins.Issue{Number: pr.Number, Title: pr.Title, Body: pr.Body, HTMLURL: pr.HTMLURL, State: pr.State,
		Author: pr.Author, Assignees: pr.Assignees, Labels: pr.Labels, IsPR: true}
}

func issueComment(guid string, r plugins.Repo, e *ghEvent) plugins.GenericCommentEvent {
	action, _ := commentAction(e.Action)
	return onIssue(plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: action, Source: plugins.SourceIssueComment,
		Body: e.Comment.Body, HTMLURL: e.Comment.HTMLURL, CommentID: e.Comment.ID, User: e.Comment.User.Login}, issueOf(e.Issue))
}

// bodyComment treats the body of an opened or edited issue or PR as a
// comment by its author.
func bodyComment(guid string, r plugins.Repo, action string, i plugins.Issue) (plugins.GenericCommentEvent, bool) {
	if action != "opened" && action != "edited" {
		return plugins.GenericCommentEvent{}, false
	}
	a, _ := commentAction(action)
	return onIssue(plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: a, Source: plugins.SourceIssueBody,
		Body: i.Body, HTMLURL: i.HTMLURL, User: i.Author}, i), true
}

func issuesEvents(guid string, r plugins.Repo, e *ghEvent) []any {
	i := issueOf(e.Issue)
	out := []any{plugins.IssueEvent{GUID: guid, Repo: r, Action: e.Action, Issue: i, Sender: e.Sender.Login,
		Label: e.Label.Name, Assignee: e.Assignee.Login}}
	if c, ok := bodyComment(guid, r, e.Action, i); ok {
		out = append(out, c)
	}
	return out
}

func pullRequestEvents(guid string, r plugins.Repo, e *ghEvent) []any {
	pr := pullOf(e.PullRequest)
	ch := e.Changes
	out := []any{plugins.PullRequestEvent{GUID: guid, Repo: r, Action: e.Action, PR: pr, Sender: e.Sender.Login,
		Label: e.Label.Name, Assignee: e.Assignee.Login, RequestedReviewer: e.RequestedReviewer.Login,
		Before: e.Before, After: e.After,
		BaseChanged: ch != nil && ch.Base != nil, TitleChanged: ch != nil && ch.Title != nil, BodyChanged: ch != nil && ch.Body != nil}}
	if c, ok := bodyComment(guid, r, e.Action, prAsIssue(pr)); ok {
		out = append(out, c)
	}
	return out
}

func reviewEvents(guid string, r plugins.Repo, e *ghEvent) []any {
	pr := pullOf(e.PullRequest)
	rv := e.Review
	review := plugins.Review{ID: rv.ID, Author: rv.User.Login, Body: rv.Body, State: strings.ToLower(rv.State),
		HTMLURL: rv.HTMLURL, SubmittedAt: rv.SubmittedAt}
	out := []any{plugins.ReviewEvent{GUID: guid, Repo: r, Action: e.Action, PR: pr, Review: review, Sender: e.Sender.Login}}
	if action, ok := commentAction(e.Action); ok {
		out = append(out, onIssue(plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: action, Source: plugins.SourceReview,
			Body: review.Body, HTMLURL: review.HTMLURL, CommentID: review.ID, User: review.Author, ReviewState: review.State}, prAsIssue(pr)))
	}
	return out
}

func reviewCommentEvents(guid string, r plugins.Repo, e *ghEvent) []any {
	pr := pullOf(e.PullRequest)
	c := e.Comment
	comment := plugins.ReviewComment{ID: c.ID, Author: c.User.Login, Body: c.Body, Path: c.Path, HTMLURL: c.HTMLURL}
	out := []any{plugins.ReviewCommentEvent{GUID: guid, Repo: r, Action: e.Action, PR: pr, Comment: comment, Sender: e.Sender.Login}}
	if action, ok := commentAction(e.Action); ok {
		out = append(out, onIssue(plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: action, Source: plugins.SourceReviewComment,
			Body: comment.Body, HTMLURL: comment.HTMLURL, CommentID: comment.ID, User: comment.Author}, prAsIssue(pr)))
	}
	return out
}

func pushEvent(guid string, r plugins.Repo, e *ghEvent) plugins.PushEvent {
	ev := plugins.PushEvent{GUID: guid, Repo: r, Ref: e.Ref, Before: e.Before, After: e.After, Created: e.Created,
		Deleted: e.Deleted, Forced: e.Forced, Pusher: e.Pusher.Name, Sender: e.Sender.Login, Compare: e.Compare}
	for _, c := range e.Commits {
		ev.Commits = append(ev.Commits, plugins.Commit{ID: c.ID, Message: c.Message, Author: c.Author.Username,
			Added: c.Added, Removed: c.Removed, Modified: c.Modified})
	}
	return ev
}
