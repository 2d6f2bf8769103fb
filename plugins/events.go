package plugins

import (
	"strings"
	"time"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/labels"
)

// Repo names a repository.
type Repo struct {
	Org           string
	Name          string
	HTMLURL       string
	DefaultBranch string
	Private       bool
}

// FullName is "org/name".
func (r Repo) FullName() string { return r.Org + "/" + r.Name }

// Issue is an issue or a pull request seen as an issue.
type Issue struct {
	Number            int
	Title             string
	Body              string
	HTMLURL           string
	State             string // open or closed
	Author            string
	AuthorAssociation string
	Assignees         []string
	Labels            []string
	IsPR              bool
	Locked            bool
	CreatedAt         time.Time
}

// HasLabel reports whether the issue carries label (case-insensitively).
func (i Issue) HasLabel(label string) bool { return labels.Has(i.Labels, label) }

// CommentAction is what happened to a comment.
type CommentAction string

// Comment actions, as Prow maps them: created|opened|submitted → created,
// edited → edited, deleted|dismissed → deleted.
const (
	CommentCreated CommentAction = "created"
	CommentEdited  CommentAction = "edited"
	CommentDeleted CommentAction = "deleted"
)

// CommentSource says where a generic comment came from.
type CommentSource string

// The sources of generic comments.
const (
	SourceIssueComment  CommentSource = "issue_comment"
	SourceReview        CommentSource = "pull_request_review"
	SourceReviewComment CommentSource = "pull_request_review_comment"
	SourceIssueBody     CommentSource = "issue_body"
)

// GenericCommentEvent is any text a person wrote on an issue or pull
// request: an issue comment, a review body, a review comment, or the body
// of a newly opened or edited issue or pull request.
type GenericCommentEvent struct {
	GUID   string
	Repo   Repo
	Action CommentAction
	Source CommentSource
	// Body is the text; for edits, the new text.
	Body      string
	HTMLURL   string
	CommentID int64
	// User wrote the text.
	User string
	// ReviewState is the review's state for reviews (approved,
	// changes_requested, commented, dismissed).
	ReviewState string
	// The issue or pull request the text is on.
	Number       int
	IsPR         bool
	IssueAuthor  string
	IssueTitle   string
	IssueBody    string
	IssueState   string
	IssueHTMLURL string
	Assignees    []string
	Labels       []string
}

// PullRequestEvent is a change to a pull request.
type PullRequestEvent struct {
	GUID   string
	Repo   Repo
	Action string // opened, synchronize, labeled, closed, ...
	PR     github.PullRequest
	Sender string
	// Label is the label added or removed, for labeled and unlabeled.
	Label string
	// Assignee or RequestedReviewer for the matching actions.
	Assignee          string
	RequestedReviewer string
	// Before and After are the old and new head SHAs for synchronize.
	Before string
	After  string
	// BaseChanged is true for an edit that changed the base branch;
	// TitleChanged and BodyChanged likewise.
	BaseChanged  bool
	TitleChanged bool
	BodyChanged  bool
}

// IssueEvent is a change to an issue (or to a pull request as an issue).
type IssueEvent struct {
	GUID     string
	Repo     Repo
	Action   string // opened, edited, closed, reopened, labeled, ...
	Issue    Issue
	Sender   string
	Label    string
	Assignee string
}

// Review is a pull request review.
type Review struct {
	ID          int64
	Author      string
	Body        string
	State       string // approved, changes_requested, commented, dismissed
	HTMLURL     string
	SubmittedAt time.Time
}

// ReviewEvent is a review submitted, edited or dismissed.
type ReviewEvent struct {
	GUID   string
	Repo   Repo
	Action string
	PR     github.PullRequest
	Review Review
	Sender string
}

// ReviewComment is a comment on a line of a pull request's diff.
type ReviewComment struct {
	ID      int64
	Author  string
	Body    string
	Path    string
	HTMLURL string
}

// ReviewCommentEvent is a review comment created, edited or deleted.
type ReviewCommentEvent struct {
	GUID    string
	Repo    Repo
	Action  string
	PR      github.PullRequest
	Comment ReviewComment
	Sender  string
}

// Commit is one commit of a push.
type Commit struct {
	ID       string
	Message  string
	Author   string
	Added    []string
	Removed  []string
	Modified []string
}

// PushEvent is a push to a branch or tag.
type PushEvent struct {
	GUID    string
	Repo    Repo
	Ref     string // refs/heads/main or refs/tags/v1
	Before  string
	After   string
	Created bool
	Deleted bool
	Forced  bool
	Pusher  string
	Sender  string
	Compare string
	Commits []Commit
}

// Branch is the branch (or tag) name the push updated.
func (p PushEvent) Branch() string {
	if b, ok := strings.CutPrefix(p.Ref, "refs/heads/"); ok {
		return b
	}
	return strings.TrimPrefix(p.Ref, "refs/tags/")
}

// ChangedFiles lists every path the push's commits touched, once each.
func (p PushEvent) ChangedFiles() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range p.Commits {
		for _, list := range [][]string{c.Added, c.Removed, c.Modified} {
			for _, f := range list {
				if !seen[f] {
					seen[f] = true
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// StatusEvent is a commit status change.
type StatusEvent struct {
	GUID        string
	Repo        Repo
	SHA         string
	Context     string
	State       string
	Description string
	TargetURL   string
	Sender      string
}

// CheckRunEvent is a check run's change: created, completed, or
// rerequested (someone pressed "Re-run" on it).
type CheckRunEvent struct {
	GUID     string
	Repo     Repo
	Action   string
	CheckRun CheckRun
	Sender   string
}

// CheckRun is what an event says of a check run.
type CheckRun struct {
	ID         int64
	Name       string
	HeadSHA    string
	Status     string
	Conclusion string
	ExternalID string
	DetailsURL string
	// App is the slug of the GitHub App that wrote the run ("" when the
	// payload names none).
	App string
	// PullRequests are the numbers of the open pull requests of the
	// repository whose head is HeadSHA (GitHub lists none from forks).
	PullRequests []int
}

// CheckSuiteEvent is a check suite's change: completed, requested, or
// rerequested (someone pressed "Re-run all checks").
type CheckSuiteEvent struct {
	GUID   string
	Repo   Repo
	Action string
	Suite  CheckSuite
	Sender string
}

// CheckSuite is what an event says of a check suite.
type CheckSuite struct {
	ID           int64
	HeadSHA      string
	HeadBranch   string
	Status       string
	Conclusion   string
	App          string
	PullRequests []int
}
