package sandbox

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The resolvers of the GraphQL types. Each holds the request's tx and the
// world object it shows; the world is locked for the whole query.

// gqlActor is an Actor or RepositoryOwner: a User, Bot or Organization.
type gqlActor struct {
	Login string
	URL   gqlURI
	kind  string
}

// gqlActor is the user or org login, nil for nobody.
func (t *tx) gqlActor(login string) *gqlActor {
	if login == "" {
		return nil
	}
	kind := "User"
	if u := t.w.user(login); u != nil {
		login = u.Login
		if u.Bot {
			kind = "Bot"
		}
	}
	if o := t.w.org(login); o != nil {
		login, kind = o.Login, "Organization"
	}
	return &gqlActor{Login: login, URL: gqlURI(t.links.web + "/" + login), kind: kind}
}

func (a *gqlActor) ToUser() (*gqlActor, bool)         { return a, a.kind == "User" }
func (a *gqlActor) ToBot() (*gqlActor, bool)          { return a, a.kind == "Bot" }
func (a *gqlActor) ToOrganization() (*gqlActor, bool) { return a, a.kind == "Organization" }

// gqlRepo is a Repository. Like the other resolvers it carries its
// scalars as fields, filled in when it is made: graphql-go reads a field
// far more cheaply than it calls a method. Methods are left for what
// takes arguments or costs to compute.
type gqlRepo struct {
	t             *tx
	rp            *repo
	Name          string
	NameWithOwner string
	Owner         *gqlActor
	URL           gqlURI
}

func (t *tx) gqlRepo(rp *repo) *gqlRepo {
	return &gqlRepo{t: t, rp: rp, Name: rp.Name, NameWithOwner: rp.fullName(), Owner: t.gqlActor(rp.Owner), URL: gqlURI(t.repoWeb(rp))}
}

// PullRequest is Repository.pullRequest(number).
func (r *gqlRepo) PullRequest(args struct{ Number int32 }) (*gqlPull, error) {
	i := r.rp.Issues[int(args.Number)]
	if i == nil || i.PR == nil {
		return nil, &gqlNotFound{what: "PullRequest", number: args.Number}
	}
	return r.t.gqlPull(i), nil
}

// gqlNotFound is GitHub's NOT_FOUND error.
type gqlNotFound struct {
	what   string
	number int32
}

func (e *gqlNotFound) Error() string {
	return "Could not resolve to a " + e.what + " with the number of " + strconv.Itoa(int(e.number)) + "."
}

// Extensions gives the error GitHub's type.
func (e *gqlNotFound) Extensions() map[string]any { return map[string]any{"type": "NOT_FOUND"} }

type gqlLabel struct{ Color, Name string }

type gqlLabels struct {
	Nodes      *[]*gqlLabel
	PageInfo   gqlPageInfo
	TotalCount int32
}

type gqlMilestone struct {
	Number int32
	Title  string
}

// gqlItem is what an Issue and a PullRequest share.
type gqlItem struct {
	t          *tx
	i          *issue
	Author     *gqlActor
	Body       string
	CreatedAt  gqlDateTime
	Milestone  *gqlMilestone
	Number     int32
	Repository *gqlRepo
	Title      string
	UpdatedAt  gqlDateTime
	URL        gqlURI
}

func (t *tx) gqlItem(i *issue) gqlItem {
	return gqlItem{t: t, i: i, Author: t.gqlActor(i.Author), Body: i.Body, CreatedAt: gqlDateTime(ts(i.CreatedAt)), Milestone: milestoneOf(i),
		Number: int32(i.Number), Repository: t.gqlRepo(i.Repo), Title: i.Title, UpdatedAt: gqlDateTime(ts(i.UpdatedAt)), URL: gqlURI(t.issueWeb(i))}
}

// gqlIssue is an Issue.
type gqlIssue struct {
	gqlItem
	State string
}

func (t *tx) gqlIssue(i *issue) *gqlIssue {
	return &gqlIssue{gqlItem: t.gqlItem(i), State: strings.ToUpper(i.State)}
}

func milestoneOf(i *issue) *gqlMilestone {
	if i.Milestone == nil {
		return nil
	}
	return &gqlMilestone{Number: int32(i.Milestone.Number), Title: i.Milestone.Title}
}

// Labels are the labels in the order they were created (GitHub's
// default, CREATED_AT ascending).
func (g *gqlItem) Labels(args connArgs) (*gqlLabels, error) {
	all := slices.Clone(g.i.Labels)
	slices.SortStableFunc(all, func(a, b *label) int { return int(a.ID - b.ID) })
	start, end, err := args.window(len(all), "labels")
	if err != nil {
		return nil, err
	}
	nodes := make([]*gqlLabel, 0, end-start)
	for _, l := range all[start:end] {
		nodes = append(nodes, &gqlLabel{Color: l.Color, Name: l.Name})
	}
	return &gqlLabels{Nodes: &nodes, PageInfo: pageInfo(start, end, len(all)), TotalCount: int32(len(all))}, nil
}

// gqlPull is a PullRequest.
type gqlPull struct {
	gqlItem
	BaseRef        *gqlRef
	BaseRefName    string
	BaseRefOid     gqlObjectID
	HeadRef        *gqlRef
	HeadRefName    string
	HeadRefOid     gqlObjectID
	IsDraft        bool
	Merged         bool
	ReviewDecision *string
	State          string // OPEN, CLOSED or MERGED

	// merge is the mergeability, learnt once per query so that
	// mergeable and mergeStateStatus agree (the first read of a lazily
	// computed one is unknown for both).
	mergeOnce  sync.Once
	mergeOK    *bool
	mergeState string
}

func (p *gqlPull) merge() (*bool, string) {
	p.mergeOnce.Do(func() {
		p.mergeOK, p.mergeState = nil, "unknown"
		if p.i.State == "open" {
			p.mergeOK, p.mergeState = p.t.mergeState(p.i, true)
		}
	})
	return p.mergeOK, p.mergeState
}

func (t *tx) gqlPull(i *issue) *gqlPull {
	p := i.PR
	out := &gqlPull{gqlItem: t.gqlItem(i), BaseRef: branchRef(i.Repo, p.Base), BaseRefName: p.Base, BaseRefOid: gqlObjectID(t.baseSHA(i)),
		HeadRef: branchRef(i.Repo, p.Head), HeadRefName: p.Head, HeadRefOid: gqlObjectID(p.HeadSHA), IsDraft: p.Draft, Merged: p.Merged,
		ReviewDecision: reviewDecision(i), State: strings.ToUpper(i.State)}
	if p.Merged {
		out.State = "MERGED"
	}
	return out
}

// Mergeable is MERGEABLE or CONFLICTING for an open pull request whose
// mergeability is known, else UNKNOWN.
func (p *gqlPull) Mergeable() string {
	switch ok, _ := p.merge(); {
	case ok == nil:
		return "UNKNOWN"
	case *ok:
		return "MERGEABLE"
	}
	return "CONFLICTING"
}

// MergeStateStatus is GitHub's merge state of an open pull request:
// CLEAN, DIRTY, BLOCKED, BEHIND, DRAFT or UNKNOWN.
func (p *gqlPull) MergeStateStatus() string {
	_, state := p.merge()
	return strings.ToUpper(state)
}

// reviewDecision follows the reviews as search's review: qualifier does,
// where the base branch's protection requires reviews; elsewhere GitHub
// decides nothing (null).
func reviewDecision(i *issue) *string {
	if rule := i.Repo.Protection[i.PR.Base]; rule == nil || !rule.Reviews {
		return nil
	}
	d := "REVIEW_REQUIRED"
	switch reviewState(i) {
	case "approved":
		d = "APPROVED"
	case "changes_requested":
		d = "CHANGES_REQUESTED"
	}
	return &d
}

// gqlRef is a Ref to a branch; nil when the branch is gone.
type gqlRef struct {
	Name, Prefix string
	Target       *gqlCommit
}

func branchRef(rp *repo, branch string) *gqlRef {
	sha, ok := rp.Branches[branch]
	if !ok {
		return nil
	}
	return &gqlRef{Name: branch, Prefix: "refs/heads/", Target: &gqlCommit{rp: rp, Oid: gqlObjectID(sha)}}
}

// gqlCommit is a Commit (the only GitObject the sandbox shows).
type gqlCommit struct {
	rp  *repo
	Oid gqlObjectID
}

func (c *gqlCommit) ToCommit() (*gqlCommit, bool) { return c, true }

type gqlStatusContext struct {
	Context     string
	Description *string
	State       string
	TargetURL   *gqlURI
}

type gqlStatus struct {
	Contexts []*gqlStatusContext
	State    string
}

// Status is the commit's combined status; null without statuses.
func (c *gqlCommit) Status() *gqlStatus {
	latest := latestStatuses(c.rp, string(c.Oid))
	if len(latest) == 0 {
		return nil
	}
	out := &gqlStatus{State: strings.ToUpper(combinedState(latest)), Contexts: make([]*gqlStatusContext, 0, len(latest))}
	for _, st := range latest {
		sc := &gqlStatusContext{Context: st.Context, State: strings.ToUpper(st.State)}
		if st.Description != "" {
			sc.Description = &st.Description
		}
		if st.TargetURL != "" {
			u := gqlURI(st.TargetURL)
			sc.TargetURL = &u
		}
		out.Contexts = append(out.Contexts, sc)
	}
	return out
}

type gqlPullCommit struct{ Commit *gqlCommit }

// gqlPullCommits is a PullRequestCommitConnection. The commits come from
// git only when more than the head is asked for (commits(last: 1) is the
// head, which the world knows).
type gqlPullCommits struct {
	p    *gqlPull
	args connArgs
}

func (p *gqlPull) Commits(args connArgs) (*gqlPullCommits, error) {
	if _, _, err := args.window(0, "commits"); err != nil {
		return nil, err
	}
	return &gqlPullCommits{p: p, args: args}, nil
}

// headOnly says whether the arguments select just the head commit.
func (c *gqlPullCommits) headOnly() bool {
	a := c.args
	return a.Last != nil && *a.Last == 1 && a.First == nil && a.After == nil && a.Before == nil
}

// all are the pull request's commits, oldest first.
func (c *gqlPullCommits) all() []string {
	p := c.p
	commits, _ := p.i.Repo.Git.log(p.t.ctx, p.i.PR.HeadSHA, "^"+p.t.baseSHA(p.i)) // a git failure shows as no commits
	out := make([]string, 0, len(commits))
	for k := len(commits) - 1; k >= 0; k-- {
		out = append(out, commits[k].SHA)
	}
	return out
}

func (c *gqlPullCommits) Nodes() (*[]*gqlPullCommit, error) {
	shas := []string{c.p.i.PR.HeadSHA}
	if !c.headOnly() {
		all := c.all()
		start, end, err := c.args.window(len(all), "commits")
		if err != nil {
			return nil, err
		}
		shas = all[start:end]
	}
	out := make([]*gqlPullCommit, 0, len(shas))
	for _, sha := range shas {
		out = append(out, &gqlPullCommit{Commit: &gqlCommit{rp: c.p.i.Repo, Oid: gqlObjectID(sha)}})
	}
	return &out, nil
}

func (c *gqlPullCommits) PageInfo() (gqlPageInfo, error) {
	n := len(c.all())
	start, end, err := c.args.window(n, "commits")
	return pageInfo(start, end, n), err
}

func (c *gqlPullCommits) TotalCount() int32 { return int32(len(c.all())) }

type gqlReview struct {
	Author *gqlActor
	State  string
}

type gqlReviews struct {
	Nodes      *[]*gqlReview
	PageInfo   gqlPageInfo
	TotalCount int32
}

// LatestOpinionatedReviews is each reviewer's latest approval or change
// request, in the order they were given.
func (p *gqlPull) LatestOpinionatedReviews(args struct {
	connArgs
	WritersOnly bool
}) (*gqlReviews, error) {
	var latest []*review
	for _, rv := range p.i.PR.Reviews {
		if rv.State != "APPROVED" && rv.State != "CHANGES_REQUESTED" {
			continue
		}
		latest = slices.DeleteFunc(latest, func(o *review) bool { return strings.EqualFold(o.Author, rv.Author) })
		latest = append(latest, rv)
	}
	if args.WritersOnly {
		latest = slices.DeleteFunc(latest, func(rv *review) bool { return !p.t.w.can(p.i.Repo, rv.Author, "write") })
	}
	start, end, err := args.window(len(latest), "latestOpinionatedReviews")
	if err != nil {
		return nil, err
	}
	nodes := make([]*gqlReview, 0, end-start)
	for _, rv := range latest[start:end] {
		nodes = append(nodes, &gqlReview{Author: p.t.gqlActor(rv.Author), State: rv.State})
	}
	return &gqlReviews{Nodes: &nodes, PageInfo: pageInfo(start, end, len(latest)), TotalCount: int32(len(latest))}, nil
}
