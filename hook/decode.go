package hook

import (
	"encoding/json"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/plugins"
)

// handledEvents are the event types hook normalizes for plugins; every
// other type is only forwarded to external plugins.
var handledEvents = map[string]bool{
	"issues": true, "issue_comment": true, "pull_request": true, "pull_request_review": true,
	"pull_request_review_comment": true, "push": true, "status": true,
}

// Decode turns a delivery's payload into normalized events. Event types no
// plugin handles decode to no events and no error. A payload that is not
// valid for its event type is an error naming the type.
func Decode(eventType string, guid string, body []byte) (org, repo string, events []any, err error) {
	if !handledEvents[eventType] {
		org, repo = ownerOf(body)
		return org, repo, nil, nil
	}
	parsed, err := gh.ParseWebHook(eventType, body)
	if err != nil {
		return "", "", nil, fmt.Errorf("decode %s payload: %w", eventType, err)
	}
	switch e := parsed.(type) {
	case *gh.IssueCommentEvent:
		r := repoOf(e.GetRepo())
		return r.Org, r.Name, []any{issueComment(guid, r, e)}, nil
	case *gh.IssuesEvent:
		r := repoOf(e.GetRepo())
		return r.Org, r.Name, issuesEvents(guid, r, e), nil
	case *gh.PullRequestEvent:
		r := repoOf(e.GetRepo())
		return r.Org, r.Name, pullRequestEvents(guid, r, e), nil
	case *gh.PullRequestReviewEvent:
		r := repoOf(e.GetRepo())
		return r.Org, r.Name, reviewEvents(guid, r, e), nil
	case *gh.PullRequestReviewCommentEvent:
		r := repoOf(e.GetRepo())
		return r.Org, r.Name, reviewCommentEvents(guid, r, e), nil
	case *gh.PushEvent:
		r := pushRepoOf(e.GetRepo())
		return r.Org, r.Name, []any{pushEvent(guid, r, e)}, nil
	case *gh.StatusEvent:
		r := repoOf(e.GetRepo())
		return r.Org, r.Name, []any{plugins.StatusEvent{GUID: guid, Repo: r, SHA: e.GetSHA(), Context: e.GetContext(),
			State: e.GetState(), Description: e.GetDescription(), TargetURL: e.GetTargetURL(), Sender: e.GetSender().GetLogin()}}, nil
	}
	return "", "", nil, fmt.Errorf("decode %s payload: unexpected type %T", eventType, parsed)
}

// ownerOf reads the repository or organization of any payload.
func ownerOf(body []byte) (string, string) {
	var owner payloadOwner
	if err := json.Unmarshal(body, &owner); err != nil {
		return "", ""
	}
	if owner.Repository != nil {
		org, repo, _ := strings.Cut(owner.Repository.FullName, "/")
		return org, repo
	}
	if owner.Organization != nil {
		return owner.Organization.Login, ""
	}
	return "", ""
}

func repoOf(r *gh.Repository) plugins.Repo {
	org := r.GetOwner().GetLogin()
	if org == "" {
		org, _, _ = strings.Cut(r.GetFullName(), "/")
	}
	return plugins.Repo{Org: org, Name: r.GetName(), HTMLURL: r.GetHTMLURL(), DefaultBranch: r.GetDefaultBranch(), Private: r.GetPrivate()}
}

func pushRepoOf(r *gh.PushEventRepository) plugins.Repo {
	org := r.GetOwner().GetLogin()
	if org == "" {
		org = r.GetOwner().GetName()
	}
	if org == "" {
		org, _, _ = strings.Cut(r.GetFullName(), "/")
	}
	return plugins.Repo{Org: org, Name: r.GetName(), HTMLURL: r.GetHTMLURL(), DefaultBranch: r.GetDefaultBranch(), Private: r.GetPrivate()}
}

func logins(users []*gh.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.GetLogin())
	}
	return out
}

func labelNames(labels []*gh.Label) []string {
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		out = append(out, l.GetName())
	}
	return out
}

func issueOf(i *gh.Issue) plugins.Issue {
	return plugins.Issue{Number: i.GetNumber(), Title: i.GetTitle(), Body: i.GetBody(), HTMLURL: i.GetHTMLURL(),
		State: i.GetState(), Author: i.GetUser().GetLogin(), AuthorAssociation: i.GetAuthorAssociation(),
		Assignees: logins(i.Assignees), Labels: labelNames(i.Labels), IsPR: i.IsPullRequest(), Locked: i.GetLocked(),
		CreatedAt: i.GetCreatedAt().Time}
}

func pullOf(p *gh.PullRequest) plugins.PullRequest {
	return plugins.PullRequest{Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(), HTMLURL: p.GetHTMLURL(),
		State: p.GetState(), Draft: p.GetDraft(), Merged: p.GetMerged(), Mergeable: p.Mergeable,
		Author: p.GetUser().GetLogin(), AuthorAssociation: p.GetAuthorAssociation(), Assignees: logins(p.Assignees),
		RequestedReviewers: logins(p.RequestedReviewers), Labels: labelNames(p.Labels),
		Base:      plugins.Ref{Ref: p.GetBase().GetRef(), SHA: p.GetBase().GetSHA(), Repo: p.GetBase().GetRepo().GetFullName()},
		Head:      plugins.Ref{Ref: p.GetHead().GetRef(), SHA: p.GetHead().GetSHA(), Repo: p.GetHead().GetRepo().GetFullName()},
		Additions: p.GetAdditions(), Deletions: p.GetDeletions(), ChangedFiles: p.GetChangedFiles(), CreatedAt: p.GetCreatedAt().Time}
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

func issueComment(guid string, r plugins.Repo, e *gh.IssueCommentEvent) plugins.GenericCommentEvent {
	action, _ := commentAction(e.GetAction())
	i := issueOf(e.GetIssue())
	return plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: action, Source: plugins.SourceIssueComment,
		Body: e.GetComment().GetBody(), HTMLURL: e.GetComment().GetHTMLURL(), CommentID: e.GetComment().GetID(),
		User: e.GetComment().GetUser().GetLogin(), Number: i.Number, IsPR: i.IsPR, IssueAuthor: i.Author,
		IssueTitle: i.Title, IssueBody: i.Body, IssueState: i.State, IssueHTMLURL: i.HTMLURL, Assignees: i.Assignees, Labels: i.Labels}
}

// bodyComment treats the body of an opened or edited issue or PR as a
// comment by its author.
func bodyComment(guid string, r plugins.Repo, action string, i plugins.Issue) (plugins.GenericCommentEvent, bool) {
	if action != "opened" && action != "edited" {
		return plugins.GenericCommentEvent{}, false
	}
	a, _ := commentAction(action)
	return plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: a, Source: plugins.SourceIssueBody, Body: i.Body,
		HTMLURL: i.HTMLURL, User: i.Author, Number: i.Number, IsPR: i.IsPR, IssueAuthor: i.Author, IssueTitle: i.Title,
		IssueBody: i.Body, IssueState: i.State, IssueHTMLURL: i.HTMLURL, Assignees: i.Assignees, Labels: i.Labels}, true
}

func issuesEvents(guid string, r plugins.Repo, e *gh.IssuesEvent) []any {
	i := issueOf(e.GetIssue())
	out := []any{plugins.IssueEvent{GUID: guid, Repo: r, Action: e.GetAction(), Issue: i, Sender: e.GetSender().GetLogin(),
		Label: e.GetLabel().GetName(), Assignee: e.GetAssignee().GetLogin()}}
	if c, ok := bodyComment(guid, r, e.GetAction(), i); ok {
		out = append(out, c)
	}
	return out
}

func pullRequestEvents(guid string, r plugins.Repo, e *gh.PullRequestEvent) []any {
	pr := pullOf(e.GetPullRequest())
	ch := e.GetChanges()
	ev := plugins.PullRequestEvent{GUID: guid, Repo: r, Action: e.GetAction(), PR: pr, Sender: e.GetSender().GetLogin(),
		Label: e.GetLabel().GetName(), Assignee: e.GetAssignee().GetLogin(), RequestedReviewer: e.GetRequestedReviewer().GetLogin(),
		Before: e.GetBefore(), After: e.GetAfter(),
		BaseChanged: ch != nil && ch.Base != nil, TitleChanged: ch != nil && ch.Title != nil, BodyChanged: ch != nil && ch.Body != nil}
	out := []any{ev}
	asIssue := plugins.Issue{Number: pr.Number, Title: pr.Title, Body: pr.Body, HTMLURL: pr.HTMLURL, State: pr.State,
		Author: pr.Author, Assignees: pr.Assignees, Labels: pr.Labels, IsPR: true}
	if c, ok := bodyComment(guid, r, e.GetAction(), asIssue); ok {
		out = append(out, c)
	}
	return out
}

func reviewEvents(guid string, r plugins.Repo, e *gh.PullRequestReviewEvent) []any {
	pr := pullOf(e.GetPullRequest())
	rv := e.GetReview()
	review := plugins.Review{ID: rv.GetID(), Author: rv.GetUser().GetLogin(), Body: rv.GetBody(),
		State: strings.ToLower(rv.GetState()), HTMLURL: rv.GetHTMLURL(), SubmittedAt: rv.GetSubmittedAt().Time}
	out := []any{plugins.ReviewEvent{GUID: guid, Repo: r, Action: e.GetAction(), PR: pr, Review: review, Sender: e.GetSender().GetLogin()}}
	if action, ok := commentAction(e.GetAction()); ok {
		out = append(out, plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: action, Source: plugins.SourceReview,
			Body: review.Body, HTMLURL: review.HTMLURL, CommentID: review.ID, User: review.Author, ReviewState: review.State,
			Number: pr.Number, IsPR: true, IssueAuthor: pr.Author, IssueTitle: pr.Title, IssueBody: pr.Body,
			IssueState: pr.State, IssueHTMLURL: pr.HTMLURL, Assignees: pr.Assignees, Labels: pr.Labels})
	}
	return out
}

func reviewCommentEvents(guid string, r plugins.Repo, e *gh.PullRequestReviewCommentEvent) []any {
	pr := pullOf(e.GetPullRequest())
	c := e.GetComment()
	comment := plugins.ReviewComment{ID: c.GetID(), Author: c.GetUser().GetLogin(), Body: c.GetBody(), Path: c.GetPath(), HTMLURL: c.GetHTMLURL()}
	out := []any{plugins.ReviewCommentEvent{GUID: guid, Repo: r, Action: e.GetAction(), PR: pr, Comment: comment, Sender: e.GetSender().GetLogin()}}
	if action, ok := commentAction(e.GetAction()); ok {
		out = append(out, plugins.GenericCommentEvent{GUID: guid, Repo: r, Action: action, Source: plugins.SourceReviewComment,
			Body: comment.Body, HTMLURL: comment.HTMLURL, CommentID: comment.ID, User: comment.Author,
			Number: pr.Number, IsPR: true, IssueAuthor: pr.Author, IssueTitle: pr.Title, IssueBody: pr.Body,
			IssueState: pr.State, IssueHTMLURL: pr.HTMLURL, Assignees: pr.Assignees, Labels: pr.Labels})
	}
	return out
}

func pushEvent(guid string, r plugins.Repo, e *gh.PushEvent) plugins.PushEvent {
	ev := plugins.PushEvent{GUID: guid, Repo: r, Ref: e.GetRef(), Before: e.GetBefore(), After: e.GetAfter(),
		Created: e.GetCreated(), Deleted: e.GetDeleted(), Forced: e.GetForced(), Pusher: e.GetPusher().GetName(),
		Sender: e.GetSender().GetLogin(), Compare: e.GetCompare()}
	for _, c := range e.Commits {
		ev.Commits = append(ev.Commits, plugins.Commit{ID: c.GetID(), Message: c.GetMessage(), Author: c.GetAuthor().GetLogin(),
			Added: c.Added, Removed: c.Removed, Modified: c.Modified})
	}
	return ev
}
