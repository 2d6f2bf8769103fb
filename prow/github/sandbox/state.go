package sandbox

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// user is a GitHub user.
type user struct {
	ID    int64
	Login string
	Name  string
	Bot   bool
}

type org struct {
	ID      int64
	Login   string
	Members map[string]string // lower login -> admin|member
	Teams   map[string]*team
}

type team struct {
	ID      int64
	Slug    string
	Name    string
	Members []string
}

type label struct {
	ID          int64
	Name        string
	Color       string
	Description string
}

type comment struct {
	ID        int64
	Body      string
	User      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type review struct {
	ID          int64
	User        string
	Body        string
	State       string // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
	CommitID    string
	SubmittedAt time.Time
}

type status struct {
	ID          int64
	Context     string
	State       string
	Description string
	TargetURL   string
	Creator     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

type fileChange struct {
	Filename  string
	Status    string // added, modified, removed
	Additions int
	Deletions int
	Patch     string
}

// issue is an issue or, with PR set, a pull request.
type issue struct {
	ID        int64
	Number    int
	Title     string
	Body      string
	User      string
	State     string
	Labels    []string
	Assignees []string
	Comments  []int64
	Locked    bool
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  *time.Time
	PR        *pull
}

type pull struct {
	Base               string
	BaseSHA            string
	Head               string
	HeadSHA            string
	Draft              bool
	Merged             bool
	MergeSHA           string
	MergedAt           *time.Time
	MergedBy           string
	Files              []fileChange
	Reviews            []*review
	RequestedReviewers []string
}

type repo struct {
	ID            int64
	Org           string
	Name          string
	DefaultBranch string
	Private       bool
	Collaborators map[string]string // lower login -> permission
	Labels        map[string]*label // lower name -> label
	Issues        map[int]*issue
	NextNumber    int
	Comments      map[int64]*comment
	CommentIssue  map[int64]int
	Statuses      map[string][]*status // sha -> statuses, newest last
	CheckRuns     []*checkRun
	Git           *gitRepo
	CreatedAt     time.Time
}

func (r *repo) fullName() string { return r.Org + "/" + r.Name }

// world is the sandbox's state; the Server guards it with one mutex.
type world struct {
	users  map[string]*user // lower login
	tokens map[string]string
	orgs   map[string]*org
	repos  map[string]*repo // "org/name", lower
	nextID int64
	now    func() time.Time
}

func (w *world) id() int64 {
	w.nextID++
	return w.nextID
}

func (w *world) repo(owner, name string) (*repo, bool) {
	r, ok := w.repos[strings.ToLower(owner+"/"+name)]
	return r, ok
}

func (w *world) user(login string) (*user, bool) {
	u, ok := w.users[strings.ToLower(login)]
	return u, ok
}

// permission is login's permission on r: collaborator, org admin (admin)
// or org member (read), else "none".
func (w *world) permission(r *repo, login string) string {
	l := strings.ToLower(login)
	if p, ok := r.Collaborators[l]; ok {
		return p
	}
	if o, ok := w.orgs[strings.ToLower(r.Org)]; ok {
		switch o.Members[l] {
		case "admin":
			return "admin"
		case "member":
			return "read"
		}
	}
	if strings.EqualFold(r.Org, login) {
		return "admin"
	}
	return "none"
}

// assignable: collaborators and org members may be assigned.
func (w *world) assignable(r *repo, login string) bool {
	_, known := w.user(login)
	return known && w.permission(r, login) != "none"
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

// load builds the world from a seed, creating the git repositories.
func newWorld(seed *Seed, gitRoot string, now func() time.Time) (*world, error) {
	w := &world{users: map[string]*user{}, tokens: map[string]string{}, orgs: map[string]*org{}, repos: map[string]*repo{}, now: now}
	for _, u := range seed.Users {
		w.users[strings.ToLower(u.Login)] = &user{ID: w.id(), Login: u.Login, Name: u.Name, Bot: u.Bot}
		if u.Token != "" {
			w.tokens[u.Token] = u.Login
		}
	}
	for _, o := range seed.Orgs {
		og := &org{ID: w.id(), Login: o.Login, Members: map[string]string{}, Teams: map[string]*team{}}
		for _, m := range o.Members {
			og.Members[strings.ToLower(m)] = "member"
		}
		for _, m := range o.Admins {
			og.Members[strings.ToLower(m)] = "admin"
		}
		for _, t := range o.Teams {
			og.Teams[strings.ToLower(t.Slug)] = &team{ID: w.id(), Slug: t.Slug, Name: firstNonEmpty(t.Name, t.Slug), Members: t.Members}
		}
		w.orgs[strings.ToLower(o.Login)] = og
	}
	for _, sr := range seed.Repos {
		if err := w.addRepo(sr, gitRoot); err != nil {
			return nil, err
		}
	}
	for _, sp := range seed.Pulls {
		r, _ := w.repo(splitRepo(sp.Repo))
		if _, err := w.openPull(r, sp); err != nil {
			return nil, err
		}
	}
	for _, si := range seed.Issues {
		r, _ := w.repo(splitRepo(si.Repo))
		w.openIssue(r, si)
	}
	return w, nil
}

func splitRepo(full string) (string, string) {
	o, n, _ := strings.Cut(full, "/")
	return o, n
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (w *world) addRepo(sr SeedRepo, gitRoot string) error {
	orgName, name := splitRepo(sr.Name)
	branch := firstNonEmpty(sr.DefaultBranch, "main")
	g, _, err := newGitRepo(gitRoot, sr.Name, branch, sr.Files)
	if err != nil {
		return fmt.Errorf("create repository %s: %w", sr.Name, err)
	}
	r := &repo{ID: w.id(), Org: orgName, Name: name, DefaultBranch: branch, Private: sr.Private, Collaborators: map[string]string{},
		Labels: map[string]*label{}, Issues: map[int]*issue{}, NextNumber: 1, Comments: map[int64]*comment{}, CommentIssue: map[int64]int{},
		Statuses: map[string][]*status{}, Git: g, CreatedAt: w.now()}
	for login, perm := range sr.Collaborators {
		r.Collaborators[strings.ToLower(login)] = perm
	}
	for _, l := range sr.Labels {
		r.Labels[strings.ToLower(l.Name)] = &label{ID: w.id(), Name: l.Name, Color: firstNonEmpty(l.Color, "ededed"), Description: l.Description}
	}
	w.repos[strings.ToLower(sr.Name)] = r
	return nil
}

func (w *world) number(r *repo, want int) int {
	n := want
	if n == 0 {
		n = r.NextNumber
	}
	if n >= r.NextNumber {
		r.NextNumber = n + 1
	}
	return n
}

func (w *world) openIssue(r *repo, si SeedIssue) *issue {
	now := w.now()
	i := &issue{ID: w.id(), Number: w.number(r, si.Number), Title: si.Title, Body: si.Body, User: si.Author, State: "open",
		Labels: si.Labels, Assignees: si.Assignees, CreatedAt: now, UpdatedAt: now}
	r.Issues[i.Number] = i
	return i
}

// openPull commits the pull request's files on its head branch.
func (w *world) openPull(r *repo, sp SeedPull) (*issue, error) {
	i := w.openIssue(r, SeedIssue{Number: sp.Number, Title: sp.Title, Body: sp.Body, Author: sp.Author, Labels: sp.Labels, Assignees: sp.Assignees})
	base := firstNonEmpty(sp.Base, r.DefaultBranch)
	head := firstNonEmpty(sp.Head, fmt.Sprintf("%s-patch-%d", sp.Author, i.Number))
	baseSHA, err := git(r.Git.work, "rev-parse", base)
	if err != nil {
		return nil, fmt.Errorf("pull %s#%d: base branch %s: %w", r.fullName(), i.Number, base, err)
	}
	headSHA, err := r.Git.commit(head, base, sp.Files, sp.Title)
	if err != nil {
		return nil, fmt.Errorf("pull %s#%d: %w", r.fullName(), i.Number, err)
	}
	if err := r.Git.setRef(fmt.Sprintf("refs/pull/%d/head", i.Number), headSHA); err != nil {
		return nil, err
	}
	i.PR = &pull{Base: base, BaseSHA: baseSHA, Head: head, HeadSHA: headSHA, Draft: sp.Draft, Files: diffFiles(r, base, sp.Files)}
	return i, nil
}

// diffFiles describes a change set the way the PR files API does.
func diffFiles(r *repo, base string, files map[string]string) []fileChange {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := make([]fileChange, 0, len(paths))
	for _, p := range paths {
		old, existed := r.Git.file(base, p)
		newContent := files[p]
		fc := fileChange{Filename: p, Status: "modified"}
		switch {
		case newContent == "":
			fc.Status, fc.Deletions = "removed", lineCount(string(old))
		case !existed:
			fc.Status, fc.Additions = "added", lineCount(newContent)
		default:
			fc.Deletions, fc.Additions = lineCount(string(old)), lineCount(newContent)
		}
		out = append(out, fc)
	}
	return out
}

func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1
}
