package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// specFile is GitHub's published OpenAPI description from the npm
// package @octokit/openapi, which `make test` installs.
func specFile() (string, error) {
	dir := os.Getenv("OCTOKIT_OPENAPI_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the home directory: %w", err)
		}
		dir = filepath.Join(home, ".cache", "prowbot", "npm", "node_modules", "@octokit", "openapi")
	}
	path := filepath.Join(dir, "generated", "api.github.com.json")
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("GitHub's OpenAPI description is missing (%w); run `make test`, which installs the npm package @octokit/openapi, "+
			"or set OCTOKIT_OPENAPI_DIR to the package's folder", err)
	}
	return path, nil
}

// githubSpec is GitHub's description, cut to the paths the sandbox serves
// and the webhook payloads it sends, with its router.
type githubSpec struct {
	doc    *openapi3.T
	router routers.Router
}

// loadSpec loads the description once per test binary.
var loadSpec = sync.OnceValues(func() (githubSpec, error) {
	path, err := specFile()
	if err != nil {
		return githubSpec{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return githubSpec{}, fmt.Errorf("read %s: %w", path, err)
	}
	pruned, err := pruneSpec(data, sandbox.APIRoutePatterns())
	if err != nil {
		return githubSpec{}, fmt.Errorf("prune %s: %w", path, err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(pruned)
	if err != nil {
		return githubSpec{}, fmt.Errorf("load %s: %w", path, err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return githubSpec{}, fmt.Errorf("route %s: %w", path, err)
	}
	return githubSpec{doc: doc, router: router}, nil
})

func spec(t testing.TB) githubSpec {
	t.Helper()
	s, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	// webhookSchema matches the payload schemas of the webhooks the
	// sandbox sends.
	webhookSchema = regexp.MustCompile(`^webhook-(issue-comment|issues|pull-request|pull-request-review|pull-request-review-comment|check-run)-[a-z-]+$|^webhook-(push|status)$`)
	paramPattern  = regexp.MustCompile(`\{[^}]*\}`)
	refPattern    = regexp.MustCompile(`"#/components/([a-z_]+)/([^"]+)"`)
)

// normalPath writes a path template with anonymous parameters.
func normalPath(p string) string { return paramPattern.ReplaceAllString(p, "{}") }

// pruneSpec keeps the paths the sandbox serves, the webhook payload
// schemas, and the components they use: kin-openapi then loads in a few
// seconds under -race instead of a quarter of a minute.
func pruneSpec(data []byte, patterns []string) ([]byte, error) {
	served := map[string]bool{}
	for _, p := range patterns {
		_, path, _ := strings.Cut(p, " ")
		served[normalPath(path)] = true
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	var paths map[string]json.RawMessage
	var components map[string]map[string]json.RawMessage
	if err := json.Unmarshal(top["paths"], &paths); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(top["components"], &components); err != nil {
		return nil, err
	}
	kept := map[string]json.RawMessage{}
	var queue []json.RawMessage
	for p, item := range paths {
		if served[normalPath(p)] {
			kept[p] = item
			queue = append(queue, item)
		}
	}
	used := map[string]map[string]json.RawMessage{"schemas": {}}
	for name, schema := range components["schemas"] {
		if webhookSchema.MatchString(name) {
			used["schemas"][name] = schema
			queue = append(queue, schema)
		}
	}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, m := range refPattern.FindAllSubmatch(next, -1) {
			kind, name := string(m[1]), string(m[2])
			if used[kind] == nil {
				used[kind] = map[string]json.RawMessage{}
			}
			if _, done := used[kind][name]; done {
				continue
			}
			used[kind][name] = components[kind][name]
			queue = append(queue, components[kind][name])
		}
	}
	var err error
	if top["paths"], err = json.Marshal(kept); err != nil {
		return nil, err
	}
	if top["components"], err = json.Marshal(used); err != nil {
		return nil, err
	}
	delete(top, "x-webhooks")
	return json.Marshal(top)
}

// legacyRoute matches the routes the sandbox serves that GitHub's
// description no longer lists (GET /git/refs/{ref}).
var legacyRoute = regexp.MustCompile(`^/repos/[^/]+/[^/]+/git/refs(/|$)`)

// restParams are where a path parameter holds slashes, which the spec's
// router matches as one escaped segment.
var restParams = []string{"/git/ref/", "/git/refs/", "/git/matching-refs/", "/contents/", "/branches/", "/labels/"}

// validator checks every response a client receives against GitHub's
// description; it is an http.RoundTripper.
type validator struct {
	t      testing.TB
	next   http.RoundTripper
	router routers.Router
	mu     sync.Mutex
	seen   map[string]bool // "METHOD /path template"
}

func newValidator(t testing.TB) *validator {
	return &validator{t: t, next: http.DefaultTransport, router: spec(t).router, seen: map[string]bool{}}
}

func (v *validator) operations() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]string, 0, len(v.seen))
	for k := range v.seen {
		out = append(out, k)
	}
	return out
}

func (v *validator) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.next.RoundTrip(req)
	if err != nil || resp.StatusCode == http.StatusNotModified || resp.StatusCode >= 500 {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, err
	}
	path := strings.TrimPrefix(req.URL.Path, "/api/v3")
	if legacyRoute.MatchString(path) && req.Method == http.MethodGet {
		return resp, nil
	}
	v.check(req, path, reqBody, resp, body)
	return resp, nil
}

func (v *validator) check(req *http.Request, path string, reqBody []byte, resp *http.Response, body []byte) {
	specReq := req.Clone(context.Background())
	specReq.URL = &url.URL{Scheme: "https", Host: "api.github.com", Path: path, RawQuery: req.URL.RawQuery}
	raw := strings.TrimPrefix(req.URL.EscapedPath(), "/api/v3")
	for _, marker := range restParams {
		if before, rest, ok := strings.Cut(raw, marker); ok && rest != "" && !strings.Contains(before, "/issues/") {
			// A branch's protection routes follow its name.
			suffix := ""
			if marker == "/branches/" {
				if k := strings.Index(rest, "/protection"); k >= 0 {
					rest, suffix = rest[:k], rest[k:]
				}
			}
			unescaped, _ := url.PathUnescape(rest)
			raw = before + marker + url.PathEscape(unescaped) + suffix
		}
	}
	specReq.URL.RawPath = raw
	specReq.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := v.router.FindRoute(specReq)
	if err != nil {
		v.t.Errorf("%s %s is not a route of GitHub's API: %v", req.Method, path, err)
		return
	}
	v.mu.Lock()
	v.seen[req.Method+" "+route.Path] = true
	v.mu.Unlock()
	if resp.StatusCode >= 400 && route.Operation.Responses.Status(resp.StatusCode) == nil {
		// An error GitHub's description leaves out for this operation
		// (401, a rate limit): it must still be GitHub's error JSON.
		var e struct {
			Message          *string `json:"message"`
			DocumentationURL *string `json:"documentation_url"`
		}
		if json.Unmarshal(body, &e) != nil || e.Message == nil || e.DocumentationURL == nil {
			v.t.Errorf("%s %s answered %d with %s, not GitHub's error JSON", req.Method, path, resp.StatusCode, body)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: specReq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		v.t.Errorf("%s %s answered %d, which does not match GitHub's description:\n%s", req.Method, path, resp.StatusCode, schemaProblems(err))
	}
}

// checkPayload validates a webhook's body against the schema GitHub
// publishes for it (webhook-<event>-<action>).
func checkPayload(t testing.TB, event, action string, body []byte) {
	t.Helper()
	name := "webhook-" + strings.ReplaceAll(event, "_", "-")
	if action != "" {
		name += "-" + strings.ReplaceAll(action, "_", "-")
	}
	ref := spec(t).doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		t.Errorf("GitHub publishes no payload schema %s", name)
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s payload is not JSON: %v", name, err)
		return
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("the %s.%s payload does not match GitHub's %s:\n%s", event, action, name, schemaProblems(err))
	}
}

// schemaProblems keeps the first line of each problem kin-openapi lists
// (it also prints whole schemas and values).
func schemaProblems(err error) string {
	var out []string
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			out = append(out, "  "+firstLine(e.Error()))
		}
		return strings.Join(out, "\n")
	}
	for _, part := range strings.Split(err.Error(), " | ") {
		out = append(out, "  "+firstLine(part))
	}
	return strings.Join(out, "\n")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
