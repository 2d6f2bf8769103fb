package github

import (
	"context"
	"time"
)

// Label is a repository label.
type Label struct {
	Name        string
	Color       string
	Description string
}

// IssueComment is a comment on an issue or pull request.
type IssueComment struct {
	ID        int64
	Body      string
	User      string
	HTMLURL   string
	CreatedAt time.Time
	UpdatedAt time.Time

	// effectKey is the effect marker of a bot comment (see CreateComment).
	effectKey string
}

// Review is a pull request review.
type Review struct {
	ID          int64
	User        string
	Body        string
	State       string // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
	SubmittedAt time.Time
}

// Status is a commit status.
type Status struct {
	Context     string
	State       string // pending, success, failure, error
	Description string
	TargetURL   string
}

// PullRequest is what the bot reads of a pull request.
type PullRequest struct {
	Number    int
	Title     string
	Body      string
	State     string
	Draft     bool
	Merged    bool
	Mergeable *bool
	Author    string
	BaseRef   string
	BaseSHA   string
	HeadRef   string
	HeadSHA   string
	Labels    []string
	HTMLURL   string
	// Milestone is the title of the pull request's milestone, if any.
	Milestone string
}

// PullRequestChange is one file a pull request changes.
type PullRequestChange struct {
	Filename         string
	PreviousFilename string
	Status           string
	Additions        int
	Deletions        int
	Changes          int
}

// UserClient tells who the bot is.
type UserClient interface {
	BotUser(ctx context.Context) (string, error)
}

// LabelClient reads and changes labels.
type LabelClient interface {
	GetRepoLabels(ctx context.Context, org, repo string) ([]Label, error)
	GetIssueLabels(ctx context.Context, org, repo string, number int) ([]Label, error)
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
	RemoveLabel(ctx context.Context, org, repo string, number int, label string) error
}

// CommentClient reads and writes issue comments.
type CommentClient interface {
	ListIssueComments(ctx context.Context, org, repo string, number int) ([]IssueComment, error)
	CreateComment(ctx context.Context, org, repo string, number int, body string) (IssueComment, error)
	EditComment(ctx context.Context, org, repo string, id int64, body string) error
	DeleteComment(ctx context.Context, org, repo string, id int64) error
}

// ReviewClient reads reviews and requests reviewers.
type ReviewClient interface {
	ListReviews(ctx context.Context, org, repo string, number int) ([]Review, error)
	RequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error
	UnrequestReview(ctx context.Context, org, repo string, number int, users, teams []string) error
}

// AssigneeClient assigns issues.
type AssigneeClient interface {
	// AssignIssue returns the logins GitHub refused to assign.
	AssignIssue(ctx context.Context, org, repo string, number int, logins []string) (refused []string, err error)
	UnassignIssue(ctx context.Context, org, repo string, number int, logins []string) error
}

// StatusClient writes and reads commit statuses.
type StatusClient interface {
	CreateStatus(ctx context.Context, org, repo, sha string, s Status) error
	ListStatuses(ctx context.Context, org, repo, ref string) ([]Status, error)
}

// PullRequestClient reads and merges pull requests.
type PullRequestClient interface {
	GetPullRequest(ctx context.Context, org, repo string, number int) (PullRequest, error)
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]PullRequestChange, error)
	Merge(ctx context.Context, org, repo string, number int, sha, method, title, message string) error
}

// CollaboratorClient answers who may act on a repository.
type CollaboratorClient interface {
	IsCollaborator(ctx context.Context, org, repo, login string) (bool, error)
	// Permission is admin, maintain, write, triage, read or none.
	Permission(ctx context.Context, org, repo, login string) (string, error)
}

// OrgClient answers org and team membership.
type OrgClient interface {
	IsMember(ctx context.Context, org, login string) (bool, error)
	ListTeamMembers(ctx context.Context, org, teamSlug string) ([]string, error)
}

// GitClient reads refs and files.
type GitClient interface {
	GetRef(ctx context.Context, org, repo, ref string) (sha string, err error)
	GetFile(ctx context.Context, org, repo, path, ref string) ([]byte, error)
}

var (
	_ UserClient         = (*Client)(nil)
	_ LabelClient        = (*Client)(nil)
	_ CommentClient      = (*Client)(nil)
	_ ReviewClient       = (*Client)(nil)
	_ AssigneeClient     = (*Client)(nil)
	_ StatusClient       = (*Client)(nil)
	_ PullRequestClient  = (*Client)(nil)
	_ CollaboratorClient = (*Client)(nil)
	_ OrgClient          = (*Client)(nil)
	_ GitClient          = (*Client)(nil)
)
