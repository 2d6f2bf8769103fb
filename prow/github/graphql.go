package github

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shurcooL/githubv4"
)

// PullRequestInfo is what one search of GitHub's GraphQL API tells of an
// open pull request: enough for tide to decide without another call.
type PullRequestInfo struct {
	// Org and Repo name the repository it belongs to.
	Org     string
	Repo    string
	Number  int
	Title   string
	Body    string
	Author  string
	HTMLURL string
	BaseRef string
	// BaseSHA is the base branch's tip.
	BaseSHA string
	HeadRef string
	HeadSHA string
	// Mergeable is nil while GitHub has not computed it yet (UNKNOWN).
	Mergeable *bool
	Draft     bool
	// Labels are the label names (the first 100).
	Labels []string
	// Milestone is the milestone's title, "" without one.
	Milestone string
	// Contexts are the head commit's latest status per context, states
	// lower-cased as REST gives them (pending, success, failure, error),
	// then its check runs (GitHub Actions' jobs among them), each by its
	// name with the state CheckRunState gives it.
	Contexts []Status
	// MergeState is GitHub's merge state, lower-cased as REST's
	// mergeable_state: clean, dirty, blocked, behind, draft, unstable,
	// has_hooks or unknown.
	MergeState string
	// ReviewDecision is APPROVED, CHANGES_REQUESTED, REVIEW_REQUIRED, or ""
	// when the repository requires no review.
	ReviewDecision string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PullRequestSearchClient finds pull requests with everything tide needs
// in a few GraphQL calls.
type PullRequestSearchClient interface {
	// SearchPullRequests returns every pull request matching a GitHub
	// search query (is:pr is implied), newest first, 100 per call; past
	// the 1,000 results one GitHub search gives, in windows of creation
	// time.
	SearchPullRequests(ctx context.Context, query string) ([]PullRequestInfo, error)
}

var _ PullRequestSearchClient = (*Client)(nil)

// graphqlEndpoint is where the GraphQL API of a REST endpoint lives:
// github.com's api.github.com/graphql, GitHub Enterprise's (and the
// sandbox's) <host>/api/graphql beside <host>/api/v3.
func graphqlEndpoint(endpoint string) string {
	endpoint = strings.TrimSuffix(endpoint, "/")
	if endpoint == DefaultEndpoint {
		return DefaultEndpoint + "/graphql"
	}
	return strings.TrimSuffix(endpoint, "/api/v3") + "/api/graphql"
}

// APIEndpoints are the base URLs of the REST and GraphQL APIs the client
// uses for endpoint (a --github-endpoint value): github.com's
// api.github.com and api.github.com/graphql; anywhere else (GitHub
// Enterprise, the sandbox, a proxy) <host>/api/v3 and <host>/api/graphql.
func APIEndpoints(endpoint string) (rest, graphql string) {
	endpoint = strings.TrimSuffix(endpoint, "/")
	if endpoint == DefaultEndpoint {
		return endpoint, graphqlEndpoint(endpoint)
	}
	return strings.TrimSuffix(endpoint, "/api/v3") + "/api/v3", graphqlEndpoint(endpoint)
}

// searchPage is one page of search, as githubv4 builds the query from it.
type searchPage struct {
	Search struct {
		IssueCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   githubv4.String
		}
		Nodes []struct {
			PullRequest gqlPullRequest `graphql:"... on PullRequest"`
		}
	} `graphql:"search(type: ISSUE, first: 100, after: $after, query: $query)"`
}

// gqlPullRequest is the fields of a pull request the search reads.
type gqlPullRequest struct {
	Number      int
	Title       string
	Body        string
	URL         string
	Author      struct{ Login string }
	BaseRefName string
	HeadRefName string
	HeadRefOid  string
	BaseRef     *struct {
		Target struct{ Oid string }
	}
	Mergeable        githubv4.MergeableState
	MergeStateStatus githubv4.MergeStateStatus
	IsDraft          bool
	Labels           struct {
		Nodes []struct{ Name string }
	} `graphql:"labels(first: 100)"`
	Milestone  *struct{ Title string }
	Repository struct {
		Name  string
		Owner struct{ Login string }
	}
	Commits struct {
		Nodes []struct {
			Commit struct {
				Oid    string
				Status *struct {
					Contexts []gqlStatusContext
				}
				StatusCheckRollup *struct {
					Contexts struct {
						Nodes []gqlRollupNode
					} `graphql:"contexts(first: 100)"`
				}
			}
		}
	} `graphql:"commits(last: 1)"`
	ReviewDecision *string
	CreatedAt      githubv4.DateTime
	UpdatedAt      githubv4.DateTime
}

// SearchPullRequests pages through GitHub's GraphQL search 100 pull
// requests at a time. As a GitHub App, whose tokens are each good for one
// org, it searches each org the query's org:, user: and repo: qualifiers
// name with that org's token (GitHub's REST search has no such limit).
func (c *Client) SearchPullRequests(ctx context.Context, query string) ([]PullRequestInfo, error) {
	if !strings.Contains(" "+query, " is:pr") && !strings.Contains(" "+query, " type:pr") {
		query += " is:pr"
	}
	if !c.perOrg {
		return c.searchPulls(ctx, query)
	}
	perOrg := queriesByOrg(query)
	if len(perOrg) == 0 {
		return nil, fmt.Errorf("search pull requests %q: as a GitHub App the bot searches an org at a time: add org: or repo: qualifiers", query)
	}
	var out []PullRequestInfo
	for _, q := range perOrg {
		found, err := c.searchPulls(withOrg(ctx, q.org), q.query)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// orgQuery is a search query that stays within one org.
type orgQuery struct{ org, query string }

// queriesByOrg splits a query into one per org its scope qualifiers
// (org:, user:, repo:; GitHub ORs them) name, each with that org's scope
// and every other term; none when it names no org.
func queriesByOrg(query string) []orgQuery {
	var rest []string
	scopes := map[string][]string{}
	var orgs []string
	for _, tok := range searchTokens(query) {
		key, value, _ := strings.Cut(tok, ":")
		org := ""
		switch strings.ToLower(key) {
		case "org", "user":
			org = value
		case "repo":
			org, _, _ = strings.Cut(value, "/")
		}
		org = strings.ToLower(strings.Trim(org, `"`))
		if org == "" {
			rest = append(rest, tok)
			continue
		}
		if _, seen := scopes[org]; !seen {
			orgs = append(orgs, org)
		}
		scopes[org] = append(scopes[org], tok)
	}
	out := make([]orgQuery, 0, len(orgs))
	for _, org := range orgs {
		out = append(out, orgQuery{org: org, query: strings.Join(append(slices.Clone(rest), scopes[org]...), " ")})
	}
	return out
}

// searchTokens splits a query at blanks outside double quotes, keeping
// each token as written (label:"do not merge" is one).
func searchTokens(query string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range query {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case (r == ' ' || r == '\t' || r == '\n') && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// searchPulls is every pull request a search matches. GitHub's search
// gives at most 1,000 results, newest first unless the query sorts
// otherwise; when more match, it searches again for those created no
// later (sort:created-asc: no earlier) than the last it got, until a
// search gives everything it matches. Other sorts cannot go past 1,000.
func (c *Client) searchPulls(ctx context.Context, query string) ([]PullRequestInfo, error) {
	sort := ""
	for _, tok := range searchTokens(query) {
		if v, ok := strings.CutPrefix(strings.ToLower(tok), "sort:"); ok {
			sort = v
		}
	}
	if sort == "" {
		sort, query = "created-desc", query+" sort:created-desc"
	}
	seen := map[string]bool{}
	var out []PullRequestInfo
	window := ""
	for {
		found, total, err := c.searchPages(ctx, query+window)
		if err != nil {
			return nil, err
		}
		added := 0
		for _, p := range found {
			if key := fmt.Sprintf("%s/%s#%d", p.Org, p.Repo, p.Number); !seen[key] {
				seen[key] = true
				out = append(out, p)
				added++
			}
		}
		if len(found) >= total || len(found) == 0 {
			return out, nil
		}
		last := found[len(found)-1].CreatedAt.UTC().Format(time.RFC3339)
		switch {
		case sort != "created-desc" && sort != "created-asc":
			return nil, fmt.Errorf("search pull requests %q: %d match, GitHub's search gives %d: sort by created (or by nothing) to get them all", query, total, len(found))
		case added == 0:
			return nil, fmt.Errorf("search pull requests %q: more than the %d GitHub's search gives were created at %s", query, len(found), last)
		case sort == "created-asc":
			window = " created:>=" + last
		default:
			window = " created:<=" + last
		}
	}
}

// searchPages pages through one search, 100 at a time: the pull requests
// it gives and how many it matches.
func (c *Client) searchPages(ctx context.Context, query string) ([]PullRequestInfo, int, error) {
	vars := map[string]any{"query": githubv4.String(query), "after": (*githubv4.String)(nil)}
	var out []PullRequestInfo
	for {
		var page searchPage
		if err := c.v4.Query(ctx, &page, vars); err != nil {
			return nil, 0, fmt.Errorf("search pull requests %q: %w", query, err)
		}
		if out == nil {
			out = make([]PullRequestInfo, 0, min(page.Search.IssueCount, 1000))
		}
		for _, n := range page.Search.Nodes {
			if n.PullRequest.Number != 0 { // an issue, when the query let one in
				out = append(out, n.PullRequest.info())
			}
		}
		if !page.Search.PageInfo.HasNextPage {
			return out, page.Search.IssueCount, nil
		}
		vars["after"] = githubv4.NewString(page.Search.PageInfo.EndCursor)
	}
}

func (p *gqlPullRequest) info() PullRequestInfo {
	out := PullRequestInfo{Org: p.Repository.Owner.Login, Repo: p.Repository.Name, Number: p.Number, Title: p.Title, Body: p.Body,
		Author: p.Author.Login, HTMLURL: p.URL, BaseRef: p.BaseRefName, HeadRef: p.HeadRefName, HeadSHA: p.HeadRefOid, Draft: p.IsDraft,
		CreatedAt: p.CreatedAt.Time, UpdatedAt: p.UpdatedAt.Time}
	if p.BaseRef != nil {
		out.BaseSHA = p.BaseRef.Target.Oid
	}
	out.MergeState = strings.ToLower(string(p.MergeStateStatus))
	switch p.Mergeable {
	case githubv4.MergeableStateMergeable, githubv4.MergeableStateConflicting:
		ok := p.Mergeable == githubv4.MergeableStateMergeable
		out.Mergeable = &ok
	}
	out.Labels = make([]string, 0, len(p.Labels.Nodes))
	for _, l := range p.Labels.Nodes {
		out.Labels = append(out.Labels, l.Name)
	}
	if p.Milestone != nil {
		out.Milestone = p.Milestone.Title
	}
	out.ReviewDecision = stringOf(p.ReviewDecision)
	for _, n := range p.Commits.Nodes {
		if n.Commit.Status != nil {
			out.Contexts = appendStatusContexts(out.Contexts, n.Commit.Status.Contexts)
		}
		if n.Commit.StatusCheckRollup != nil {
			out.Contexts = appendCheckRuns(out.Contexts, n.Commit.StatusCheckRollup.Contexts.Nodes)
		}
	}
	return out
}
