package sandbox

import (
	"sort"
	"strings"
	"time"

	"github.com/prowbot/prow/prow/mapkeys"
)

// world is the sandbox's whole state. The Server's mutex guards it and the
// git repositories; only tx methods change it.
type world struct {
	users   map[string]*user // by lower-case login
	byToken map[string]*user
	orgs    map[string]*org  // by lower-case login
	repos   map[string]*repo // by lower-case owner/name
	nextID  int64
	now     func() time.Time
}

func (w *world) id() int64 {
	w.nextID++
	return w.nextID
}

func (w *world) user(login string) *user { return w.users[strings.ToLower(login)] }

func (w *world) org(login string) *org { return w.orgs[strings.ToLower(login)] }

func (w *world) repo(owner, name string) *repo { return w.repos[strings.ToLower(owner+"/"+name)] }

// sortedRepos lists the repositories by full name.
func (w *world) sortedRepos() []*repo {
	out := make([]*repo, 0, len(w.repos))
	for _, k := range mapkeys.Sorted(w.repos) {
		out = append(out, w.repos[k])
	}
	return out
}

type user struct {
	ID        int64
	Login     string
	Name      string
	Email     string
	Bot       bool
	SiteAdmin bool
	CreatedAt time.Time
}

// org is an organization; Roles maps a lower-case login to admin or
// member.
type org struct {
	ID        int64
	Login     string
	Roles     map[string]string
	Teams     map[string]*team // by slug
	CreatedAt time.Time
}

// team is a team; Members maps a lower-case login to member or
// maintainer, Repos a lower-case repository name to a permission.
type team struct {
	ID          int64
	Org         *org
	Slug        string
	Name        string
	Description string
	Members     map[string]string
	Repos       map[string]string
	CreatedAt   time.Time
}

type label struct {
	ID          int64
	Name        string
	Color       string
	Description string
}

type milestone struct {
	ID          int64
	Number      int
	Title       string
	Description string
	State       string
	Creator     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    *time.Time
}

type repo struct {
	ID            int64
	Owner         string
	Name          string
	DefaultBranch string
	Private       bool
	CreatedAt     time.Time
	PushedAt      time.Time
	Collaborators map[string]string // lower-case login -> permission
	Labels        []*label
	Milestones    []*milestone
	Issues        map[int]*issue
	NextNumber    int
	Comments      map[int64]*comment
	ReviewComment map[int64]*reviewComment
	Statuses      map[string][]*status // sha -> statuses, oldest first
	CheckRuns     []*checkRun
	Actions       actions                // workflows and their runs
	Branches      map[string]string      // name -> sha, mirroring refs/heads
	Protection    map[string]*protection // by branch name
	Git           *gitRepo
}

func (r *repo) fullName() string { return r.Owner + "/" + r.Name }

func (r *repo) label(name string) *label {
	for _, l := range r.Labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

func (r *repo) milestone(number int) *milestone {
	for _, m := range r.Milestones {
		if m.Number == number {
			return m
		}
	}
	return nil
}

// sortedIssues lists issues and pull requests by number.
func (r *repo) sortedIssues() []*issue {
	out := make([]*issue, 0, len(r.Issues))
	for _, i := range r.Issues {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Number < out[b].Number })
	return out
}

// openPullsWith lists the open pull requests whose head (or base) is
// branch.
func (r *repo) openPullsWith(branch string, head bool) []*issue {
	var out []*issue
	for _, i := range r.sortedIssues() {
		if i.PR == nil || i.State != "open" {
			continue
		}
		if (head && i.PR.Head == branch) || (!head && i.PR.Base == branch) {
			out = append(out, i)
		}
	}
	return out
}

// issue is an issue or, with PR set, a pull request.
type issue struct {
	ID          int64
	Repo        *repo
	Number      int
	Title       string
	Body        string
	Author      string
	State       string // open or closed
	StateReason string
	Labels      []*label
	Assignees   []string
	Milestone   *milestone
	Locked      bool
	Comments    []*comment
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    *time.Time
	ClosedBy    string
	PR          *pull
}

func (i *issue) hasLabel(name string) bool {
	for _, l := range i.Labels {
		if strings.EqualFold(l.Name, name) {
			return true
		}
	}
	return false
}

// pull is what a pull request has beyond an issue. BaseSHA is frozen when
// it closes; while open the base branch's tip is its base.
type pull struct {
	Base               string
	Head               string
	HeadSHA            string
	BaseSHA            string
	Draft              bool
	Merged             bool
	MergeSHA           string
	MergedAt           *time.Time
	MergedBy           string
	MaintainerCanEdit  bool
	Reviews            []*review
	ReviewComments     []*reviewComment
	RequestedReviewers []string
	RequestedTeams     []string
	// MergeAsked is the {base, head} whose mergeability was last asked
	// for (see Options.LazyMergeable).
	MergeAsked [2]string
}

type comment struct {
	ID        int64
	Issue     *issue
	Author    string
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type review struct {
	ID          int64
	Author      string
	Body        string
	State       string // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
	CommitID    string
	SubmittedAt time.Time
}

type reviewComment struct {
	ID        int64
	Issue     *issue
	ReviewID  int64
	InReplyTo int64
	Author    string
	Body      string
	Path      string
	Line      int
	Side      string
	CommitID  string
	DiffHunk  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type status struct {
	ID          int64
	SHA         string
	Context     string
	State       string
	Description string
	TargetURL   string
	Creator     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

type checkRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	DetailsURL  string
	ExternalID  string
	Title       string
	Summary     string
	Text        string
	App         string // the login that created it
	StartedAt   time.Time
	CompletedAt *time.Time
	// Annotations are every annotation sent, in order (GitHub appends).
	Annotations []checkAnnotation
}
