package sandbox_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	gh "github.com/google/go-github/v60/github"
)

// openAPIFile finds GitHub's published OpenAPI description, installed by
// `make test` from the npm package @octokit/openapi.
func openAPIFile(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("OCTOKIT_OPENAPI_DIR")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "prowbot", "npm", "octokit-openapi-23.0.2", "node_modules", "@octokit", "openapi")
	}
	path := filepath.Join(dir, "generated", "api.github.com.json")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("GitHub's OpenAPI description is missing (%v); `make test` installs the npm package @octokit/openapi, or set OCTOKIT_OPENAPI_DIR", err)
	}
	return path
}

var (
	specOnce sync.Once
	spec     *openapi3.T
	specErr  error
)

// validator checks every response a client receives against the spec.
type validator struct {
	t      *testing.T
	next   http.RoundTripper
	router routers.Router
	mu     sync.Mutex
	seen   map[string]bool
}

func (v *validator) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.next.RoundTrip(req)
	if err != nil || resp.StatusCode == http.StatusNotModified {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))

	// The spec's paths have no /api/v3 prefix: match on the bare path.
	specReq := req.Clone(context.Background())
	specReq.URL = &url.URL{Scheme: "https", Host: "api.github.com", Path: strings.TrimPrefix(req.URL.Path, "/api/v3"), RawQuery: req.URL.RawQuery}
	if before, ref, ok := strings.Cut(specReq.URL.Path, "/git/ref/"); ok {
		// A ref holds slashes; the router matches it as one escaped segment.
		specReq.URL.RawPath = before + "/git/ref/" + url.PathEscape(ref)
	}
	specReq.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := v.router.FindRoute(specReq)
	if err != nil {
		v.t.Errorf("%s %s: not a route of GitHub's API: %v", req.Method, req.URL.Path, err)
		return resp, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: specReq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		v.t.Errorf("%s %s answered %d, which does not match GitHub's schema:\n%s", req.Method, req.URL.Path, resp.StatusCode, schemaProblems(err))
	}
	v.mu.Lock()
	v.seen[req.Method+" "+route.Path] = true
	v.mu.Unlock()
	return resp, nil
}

// schemaProblems keeps the first line of each problem kin-openapi lists
// (it also prints whole schemas and values).
func schemaProblems(err error) string {
	var out []string
	for _, part := range strings.Split(err.Error(), " | ") {
		line, _, _ := strings.Cut(strings.TrimSpace(part), "\n")
		out = append(out, "  "+line)
	}
	return strings.Join(out, "\n")
}

func TestResponsesMatchGitHubsOpenAPIDescription(t *testing.T) {
	path := openAPIFile(t)
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		spec, specErr = loader.LoadFromFile(path)
	})
	if specErr != nil {
		t.Fatal(specErr)
	}
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		t.Fatal(err)
	}
	_, ts := startSandbox(t, "")
	v := &validator{t: t, next: http.DefaultTransport, router: router, seen: map[string]bool{}}
	client := func(token string) *gh.Client {
		c, err := gh.NewClient(&http.Client{Transport: v}).WithAuthToken(token).WithEnterpriseURLs(ts.URL+"/", ts.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	alice, bot := client("alice-token"), client("bot-token")
	ctx := context.Background()
	must := func(_ any, _ *gh.Response, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	pr, _, err := alice.PullRequests.Get(ctx, "demo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	must(alice.Users.Get(ctx, ""))
	must(alice.Users.Get(ctx, "bob"))
	must(alice.Repositories.Get(ctx, "demo", "hello"))
	must(alice.Issues.ListLabels(ctx, "demo", "hello", nil))
	must(alice.Issues.Get(ctx, "demo", "hello", 1))
	must(alice.PullRequests.ListFiles(ctx, "demo", "hello", 1, nil))
	c, _, err := alice.Issues.CreateComment(ctx, "demo", "hello", 1, &gh.IssueComment{Body: gh.String("/lgtm")})
	if err != nil {
		t.Fatal(err)
	}
	must(alice.Issues.ListComments(ctx, "demo", "hello", 1, nil))
	must(alice.Issues.EditComment(ctx, "demo", "hello", c.GetID(), &gh.IssueComment{Body: gh.String("/lgtm cancel")}))
	must(bot.Issues.AddLabelsToIssue(ctx, "demo", "hello", 1, []string{"lgtm"}))
	must(bot.Issues.ListLabelsByIssue(ctx, "demo", "hello", 1, nil))
	must(bot.Issues.AddAssignees(ctx, "demo", "hello", 1, []string{"alice"}))
	must(bot.Repositories.CreateStatus(ctx, "demo", "hello", pr.GetHead().GetSHA(), &gh.RepoStatus{State: gh.String("pending"), Context: gh.String("ci")}))
	must(bot.Repositories.GetCombinedStatus(ctx, "demo", "hello", pr.GetHead().GetSHA(), nil))
	run, _, err := bot.Checks.CreateCheckRun(ctx, "demo", "hello", gh.CreateCheckRunOptions{Name: "unit", HeadSHA: pr.GetHead().GetSHA(), Status: gh.String("in_progress")})
	if err != nil {
		t.Fatal(err)
	}
	must(bot.Checks.UpdateCheckRun(ctx, "demo", "hello", run.GetID(), gh.UpdateCheckRunOptions{Name: "unit", Conclusion: gh.String("success"),
		Output: &gh.CheckRunOutput{Title: gh.String("Passed"), Summary: gh.String("All good")}}))
	must(bot.Checks.ListCheckRunsForRef(ctx, "demo", "hello", pr.GetHead().GetSHA(), nil))
	must(bot.Repositories.GetPermissionLevel(ctx, "demo", "hello", "alice"))
	must(bot.Git.GetRef(ctx, "demo", "hello", "heads/main"))
	must(bot.PullRequests.RequestReviewers(ctx, "demo", "hello", 1, gh.ReviewersRequest{Reviewers: []string{"alice"}}))
	must(alice.PullRequests.CreateReview(ctx, "demo", "hello", 1, &gh.PullRequestReviewRequest{Event: gh.String("APPROVE")}))
	must(alice.PullRequests.ListReviews(ctx, "demo", "hello", 1, nil))
	must(bot.Teams.ListTeamMembersBySlug(ctx, "demo", "maintainers", nil))
	f, _, _, err := bot.Repositories.GetContents(ctx, "demo", "hello", "OWNERS", nil)
	if err != nil || f == nil {
		t.Fatal(err)
	}
	must(alice.PullRequests.Merge(ctx, "demo", "hello", 1, "", nil))
	t.Logf("validated %d operations", len(v.seen))
}
