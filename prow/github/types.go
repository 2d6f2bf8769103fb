package github

import (
	"time"

	"github.com/prowbot/prow/prow/labels"
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

// PullRequest is what the bot reads of a pull request: the one model of
// a pull request, filled by this client from GitHub's API and by hook from
// webhook payloads (the plugins' events carry it).
type PullRequest struct {
	Number    int
	Title     string
	Body      string
	State     string // open or closed
	Draft     bool
	Merged    bool
	Mergeable *bool
	// MergeableState is GitHub's mergeable_state: clean, blocked (branch
	// protection or rules stop the merge), behind, dirty, unstable, draft
	// or unknown (only GetPullRequest fills it).
	MergeableState    string
	Author            string
	AuthorAssociation string
	Assignees         []string
	// RequestedReviewers are the users asked to review.
	RequestedReviewers []string
	BaseRef            string
	BaseSHA            string
	// BaseRepo and HeadRepo are "org/name" of the repositories the base
	// and head branches live in (they differ for a fork).
	BaseRepo     string
	HeadRef      string
	HeadSHA      string
	HeadRepo     string
	Labels       []string
	HTMLURL      string
	Additions    int
	Deletions    int
	ChangedFiles int
	CreatedAt    time.Time
	// Milestone is the title of the pull request's milestone, if any.
	Milestone string
	// ReviewComments counts the comments on lines of the diff (only
	// GetPullRequest fills it).
	ReviewComments int
	// MergeCommitSHA is the commit that landed when the pull request
	// merged (only GetPullRequest fills it).
	MergeCommitSHA string
}

// HasLabel reports whether the pull request carries label (label names
// are case-insensitive).
func (p PullRequest) HasLabel(label string) bool { return labels.Has(p.Labels, label) }

// PullRequestChange is one file a pull request changes.
type PullRequestChange struct {
	Filename         string
	PreviousFilename string
	Status           string
	Additions        int
	Deletions        int
	Changes          int
}

// ChangedFileNames is the names of the files changes touch, each moved
// file's old name right after its new one.
func ChangedFileNames(changes []PullRequestChange) []string {
	out := make([]string, 0, len(changes))
	for _, c := range changes {
		out = append(out, c.Filename)
		if c.PreviousFilename != "" {
			out = append(out, c.PreviousFilename)
		}
	}
	return out
}
