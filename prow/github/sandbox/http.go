package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

const (
	docsURL = "https://docs.github.com/rest"
	// apiPrefix is where GitHub Enterprise serves the API; the sandbox
	// serves it there and at the root.
	apiPrefix = "/api/v3"
)

// apiError is an error answer, written as GitHub's error JSON.
type apiError struct {
	Status  int
	Message string
	Errors  []obj
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Status, e.Message) }

func errNotFound() error { return &apiError{Status: http.StatusNotFound, Message: "Not Found"} }

func errForbidden(message string) error {
	return &apiError{Status: http.StatusForbidden, Message: message}
}

// errInvalid is GitHub's 422 Validation Failed, with one error naming the
// resource and field (and a message when code is "custom").
func errInvalid(resource, field, code, message string) error {
	e := obj{"resource": resource, "field": field, "code": code}
	if message != "" {
		e["message"] = message
	}
	return &apiError{Status: http.StatusUnprocessableEntity, Message: "Validation Failed", Errors: []obj{e}}
}

// errUnprocessable is a 422 with a message of its own.
func errUnprocessable(message string) error {
	return &apiError{Status: http.StatusUnprocessableEntity, Message: message}
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := obj{"message": e.Message, "documentation_url": docsURL}
	if len(e.Errors) > 0 {
		body["errors"] = e.Errors
	}
	writeJSON(w, e.Status, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing to do
}

// decode reads a JSON request body; an empty body is an empty object.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := readBody(r)
	if err == nil && len(bytes.TrimSpace(data)) > 0 {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		writeError(w, &apiError{Status: http.StatusBadRequest, Message: "Problems parsing JSON"})
		return false
	}
	return true
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(nil, r.Body, 32<<20))
	return buf.Bytes(), err
}

// isGitPath says whether a path is git's HTTP protocol:
// /<owner>/<repo>.git/<what git asks for>.
func isGitPath(p string) bool {
	segs := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 3)
	return len(segs) == 3 && segs[0] != "" && segs[0] != "_sandbox" && len(segs[1]) > len(".git") && strings.HasSuffix(segs[1], ".git")
}

// serve is the front door: git, the sandbox's own API, then the REST API
// with faults, authentication, rate limits and conditional requests.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.noteBase(r)
	switch {
	case strings.HasPrefix(r.URL.Path, "/_sandbox/"):
		s.dispatch(s.admin, w, r)
		return
	case isGitPath(r.URL.Path):
		s.git.ServeHTTP(w, r)
		return
	}
	if r.URL.Path == "/api/graphql" {
		r.URL.Path, r.URL.RawPath = "/graphql", "" // GitHub Enterprise's GraphQL endpoint
	}
	stripPrefix(r, apiPrefix)
	u := s.userOf(r)
	login, resource := "", resourceOf(r.URL.Path)
	if u != nil {
		login = u.Login
	}
	if s.faults.strike(w, r, func(h http.Header) { s.limits.peek(h, login, resource) }) {
		return
	}
	if u == nil {
		s.limits.take(w.Header(), "", resource)
		writeError(w, &apiError{Status: http.StatusUnauthorized, Message: "Bad credentials"})
		return
	}
	if !s.limits.take(w.Header(), login, resource) {
		if resource == "graphql" {
			rateLimitedGraphQL(w, u.ID)
			return
		}
		writeJSON(w, http.StatusForbidden, obj{"message": fmt.Sprintf("API rate limit exceeded for user ID %d.", u.ID),
			"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"})
		return
	}
	r.Header.Set(actorHeader, login)
	if r.Method != http.MethodGet {
		s.dispatch(s.api, w, r)
		return
	}
	rec := &bufferedWriter{header: w.Header(), code: http.StatusOK}
	s.dispatch(s.api, rec, r)
	if rec.code == http.StatusOK {
		sum := sha256.Sum256(rec.body.Bytes())
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		w.Header().Set("ETag", etag)
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			s.limits.refund(w.Header(), login, resource)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(rec.code)
	_, _ = w.Write(rec.body.Bytes()) // the client went away; nothing to do
}

// actorHeader carries the authenticated login from serve to handlers.
const actorHeader = "X-Sandbox-Actor"

func (s *Server) dispatch(rt *router, w http.ResponseWriter, r *http.Request) {
	h, ok := rt.match(r)
	if !ok {
		writeError(w, &apiError{Status: http.StatusNotFound, Message: "Not Found"})
		return
	}
	h(w, r)
}

// noteBase remembers the first request's host as the base URL when none
// is configured.
func (s *Server) noteBase(r *http.Request) {
	s.baseMu.Lock()
	defer s.baseMu.Unlock()
	if s.base == "" && r.Host != "" {
		s.base = "http://" + r.Host
	}
}

// linksFor are the URLs of objects rendered for r.
func (s *Server) linksFor(r *http.Request) links {
	base := s.opts.BaseURL
	if base == "" && r != nil && r.Host != "" {
		base = "http://" + r.Host
	}
	if base == "" {
		base = s.URL()
	}
	return links{web: base, api: base + apiPrefix}
}

func stripPrefix(r *http.Request, prefix string) {
	if r.URL.Path != prefix && !strings.HasPrefix(r.URL.Path, prefix+"/") {
		return
	}
	r.URL.Path = "/" + strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, prefix), "/")
	if r.URL.RawPath != "" {
		r.URL.RawPath = "/" + strings.TrimPrefix(strings.TrimPrefix(r.URL.RawPath, prefix), "/")
	}
}

// userOf finds the user whose token the request carries.
func (s *Server) userOf(r *http.Request) *user {
	auth := r.Header.Get("Authorization")
	var token string
	for _, scheme := range []string{"token ", "bearer "} {
		if len(auth) > len(scheme) && strings.EqualFold(auth[:len(scheme)], scheme) {
			token = strings.TrimSpace(auth[len(scheme):])
		}
	}
	if token == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.byToken[token]
}

// resourceOf is the rate-limit resource a path spends.
func resourceOf(path string) string {
	switch {
	case path == "/rate_limit":
		return ""
	case strings.HasPrefix(path, "/search/"):
		return "search"
	case path == "/graphql":
		return "graphql"
	}
	return "core"
}

// etagMatches implements If-None-Match: a list of tags, weak or strong,
// or *.
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// bufferedWriter holds a GET's answer until its ETag is known.
type bufferedWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(code int)        { b.code = code }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
