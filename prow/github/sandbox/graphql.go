package sandbox

import (
	"context"
	_ "embed" // the schema
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"
)

// graphqlSDL is the GraphQL schema, a subset of GitHub's.
//
//go:embed graphql_schema.graphql
var graphqlSDL string

// GraphQLSchema is the sandbox's GraphQL schema (SDL), for the test that
// checks it against GitHub's.
func GraphQLSchema() string { return graphqlSDL }

// graphqlSchema executes queries over the world.
type graphqlSchema = graphql.Schema

// newGraphQLSchema parses the schema and binds its resolvers. Resolvers
// run one at a time (MaxParallelism 1): the request holds the world's
// lock for the whole query, and a few resolvers (mergeability) write to
// the world, so they must not race each other.
func newGraphQLSchema() (*graphqlSchema, error) {
	s, err := graphql.ParseSchema(graphqlSDL, &gqlQuery{}, graphql.UseFieldResolvers(), graphql.MaxParallelism(1),
		graphql.MaxDepth(20))
	if err != nil {
		return nil, fmt.Errorf("sandbox GraphQL schema: %w", err)
	}
	return s, nil
}

// graphqlRequest is the body of POST /graphql.
type graphqlRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// graphQL answers POST /graphql (github.com's path; serve maps GitHub
// Enterprise's /api/graphql to it). As on GitHub, errors in the query come
// back with 200 and an errors array; the query costs one point of the
// caller's GraphQL budget, charged before it runs (see serve).
func (s *Server) graphQL(w http.ResponseWriter, r *http.Request) {
	var req graphqlRequest
	if !decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Query) == "" {
		writeJSON(w, http.StatusOK, obj{"errors": []obj{{"message": "A query attribute must be specified and must be a string."}}})
		return
	}
	s.mu.Lock()
	t := &tx{s: s, w: s.w, ctx: context.WithoutCancel(r.Context()), links: s.linksFor(r), actor: s.w.user(r.Header.Get(actorHeader))}
	resp := s.gql.Exec(context.WithValue(r.Context(), txKey{}, t), req.Query, req.OperationName, req.Variables)
	s.hooks.enqueue(t.events)
	s.mu.Unlock()
	writeGraphQL(w, resp)
}

// writeGraphQL writes a response; the data, already JSON, is copied
// as it is rather than re-validated by encoding/json.
func writeGraphQL(w http.ResponseWriter, resp *graphql.Response) {
	data := resp.Data
	resp.Data = nil
	rest, err := json.Marshal(resp) // errors and extensions
	if err != nil {
		writeJSON(w, http.StatusOK, obj{"errors": []obj{{"message": err.Error()}}})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if len(data) == 0 {
		_, _ = w.Write(rest) // the client went away; nothing to do
		return
	}
	out := make([]byte, 0, len(data)+len(rest)+10)
	out = append(append(out, `{"data":`...), data...)
	if len(rest) > len("{}") { // {"errors":[...]}: after a comma
		out = append(out, ',')
	}
	out = append(out, rest[1:]...)
	_, _ = w.Write(out) // the client went away; nothing to do
}

// rateLimitedGraphQL is GitHub's answer to a query over the budget: 200,
// with the error in the body.
func rateLimitedGraphQL(w http.ResponseWriter, userID int64) {
	writeJSON(w, http.StatusOK, obj{"errors": []obj{{"type": "RATE_LIMITED",
		"message": fmt.Sprintf("API rate limit already exceeded for user ID %d.", userID)}}})
}

// txKey carries the request's tx to the root resolvers.
type txKey struct{}

func txOf(ctx context.Context) *tx { return ctx.Value(txKey{}).(*tx) }

// The custom scalars are strings on the wire.
type (
	gqlDateTime  string
	gqlURI       string
	gqlObjectID  string
	gqlScalarErr struct{ name string }
)

func (e gqlScalarErr) Error() string { return "the sandbox takes no " + e.name + " arguments" }

func (gqlDateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }
func (gqlURI) ImplementsGraphQLType(name string) bool      { return name == "URI" }
func (gqlObjectID) ImplementsGraphQLType(name string) bool { return name == "GitObjectID" }

// UnmarshalGraphQL refuses input: no argument of the schema has the type.
func (gqlDateTime) UnmarshalGraphQL(any) error { return gqlScalarErr{"DateTime"} }

// UnmarshalGraphQL refuses input: no argument of the schema has the type.
func (gqlURI) UnmarshalGraphQL(any) error { return gqlScalarErr{"URI"} }

// UnmarshalGraphQL refuses input: no argument of the schema has the type.
func (gqlObjectID) UnmarshalGraphQL(any) error { return gqlScalarErr{"GitObjectID"} }

// connArgs are a connection's paging arguments.
type connArgs struct {
	After, Before *string
	First, Last   *int32
}

// maxPage is the most records a connection gives at once.
const maxPage = 100

// gqlCursor is GitHub's opaque cursor of the n-th record (from 1).
func gqlCursor(n int) string {
	return base64.StdEncoding.EncodeToString([]byte("cursor:" + strconv.Itoa(n)))
}

func parseCursor(c string) (int, error) {
	raw, err := base64.StdEncoding.DecodeString(c)
	n, cerr := strconv.Atoi(strings.TrimPrefix(string(raw), "cursor:"))
	if err != nil || cerr != nil || !strings.HasPrefix(string(raw), "cursor:") || n < 0 {
		return 0, fmt.Errorf("`%s` does not appear to be a valid cursor", c)
	}
	return n, nil
}

// window is the records [start, end) of total that a connection's
// arguments select, with GitHub's errors for missing or too large first
// and last.
func (a connArgs) window(total int, conn string) (start, end int, err error) {
	if a.First == nil && a.Last == nil {
		return 0, 0, fmt.Errorf("you must provide a `first` or `last` value to properly paginate the `%s` connection", conn)
	}
	for _, lim := range []struct {
		name string
		v    *int32
	}{{"first", a.First}, {"last", a.Last}} {
		switch {
		case lim.v != nil && *lim.v < 0:
			return 0, 0, fmt.Errorf("`%s` on the `%s` connection cannot be less than zero", lim.name, conn)
		case lim.v != nil && *lim.v > maxPage:
			return 0, 0, fmt.Errorf("requesting %d records on the `%s` connection exceeds the `%s` limit of %d records", *lim.v, conn, lim.name, maxPage)
		}
	}
	start, end = 0, total
	if a.After != nil {
		n, err := parseCursor(*a.After)
		if err != nil {
			return 0, 0, err
		}
		start = min(n, total)
	}
	if a.Before != nil {
		n, err := parseCursor(*a.Before)
		if err != nil {
			return 0, 0, err
		}
		end = max(min(n-1, end), start)
	}
	if a.First != nil {
		end = min(end, start+int(*a.First))
	}
	if a.Last != nil {
		start = max(start, end-int(*a.Last))
	}
	return start, end, nil
}

// gqlPageInfo is PageInfo of the records [start, end) of total.
type gqlPageInfo struct {
	EndCursor, StartCursor       *string
	HasNextPage, HasPreviousPage bool
}

func pageInfo(start, end, total int) gqlPageInfo {
	p := gqlPageInfo{HasNextPage: end < total, HasPreviousPage: start > 0}
	if start < end {
		first, last := gqlCursor(start+1), gqlCursor(end)
		p.StartCursor, p.EndCursor = &first, &last
	}
	return p
}

// gqlQuery is the root: Query.
type gqlQuery struct{}

// Search is Query.search: the same hits, in the same order, as REST's
// /search/issues for the query (type ISSUE; the other types find
// nothing in the sandbox).
func (gqlQuery) Search(ctx context.Context, args struct {
	connArgs
	Query string
	Type  string
}) (*gqlSearch, error) {
	t := txOf(ctx)
	var hits []*issue
	if args.Type == "ISSUE" && strings.TrimSpace(args.Query) != "" {
		hits = t.search(args.Query, "", "")
	}
	total := len(hits)
	hits = hits[:min(len(hits), t.s.opts.SearchLimit)]
	start, end, err := args.window(len(hits), "search")
	if err != nil {
		return nil, err
	}
	nodes := make([]*gqlSearchItem, 0, end-start)
	for _, i := range hits[start:end] {
		nodes = append(nodes, &gqlSearchItem{t: t, i: i})
	}
	return &gqlSearch{IssueCount: int32(total), Nodes: &nodes, PageInfo: pageInfo(start, end, len(hits))}, nil
}

// RateLimit is Query.rateLimit: the caller's GraphQL budget after this
// query, which cost one point.
func (gqlQuery) RateLimit(ctx context.Context, _ struct{ DryRun bool }) *gqlRateLimit {
	t := txOf(ctx)
	v := t.s.limits.view(t.login())["graphql"]
	return &gqlRateLimit{Cost: 1, Limit: int32(v.Limit), NodeCount: 0, Remaining: int32(max(0, v.Limit-v.Used)),
		Used: int32(v.Used), ResetAt: gqlDateTime(ts(v.Reset))}
}

// Repository is Query.repository; an error when the caller cannot see it.
func (gqlQuery) Repository(ctx context.Context, args struct {
	FollowRenames bool
	Name, Owner   string
}) (*gqlRepo, error) {
	t := txOf(ctx)
	rp := t.w.repo(args.Owner, args.Name)
	if rp == nil || !t.w.canSee(rp, t.login()) {
		return nil, fmt.Errorf("could not resolve to a Repository with the name '%s/%s'", args.Owner, args.Name)
	}
	return t.gqlRepo(rp), nil
}

type gqlRateLimit struct {
	Cost, Limit, NodeCount, Remaining, Used int32
	ResetAt                                 gqlDateTime
}

type gqlSearch struct {
	IssueCount int32
	Nodes      *[]*gqlSearchItem
	PageInfo   gqlPageInfo
}

// gqlSearchItem is the union SearchResultItem.
type gqlSearchItem struct {
	t *tx
	i *issue
}

func (s *gqlSearchItem) ToIssue() (*gqlIssue, bool) {
	if s.i.PR != nil {
		return nil, false
	}
	return s.t.gqlIssue(s.i), true
}

func (s *gqlSearchItem) ToPullRequest() (*gqlPull, bool) {
	if s.i.PR == nil {
		return nil, false
	}
	return s.t.gqlPull(s.i), true
}
