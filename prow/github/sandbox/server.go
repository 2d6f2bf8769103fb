package sandbox

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Options configure a Server.
type Options struct {
	Seed *Seed
	// WebhookURL receives a signed delivery for every change; empty sends
	// none.
	WebhookURL string
	HMACSecret []byte
	// GitDir holds the repositories (a temporary directory when empty).
	GitDir string
	// RateLimit is the hourly request budget per user (default 5000).
	RateLimit int
	Logger    *logrus.Entry
	Now       func() time.Time
	// FaultSeed seeds the fault injector's random choices.
	FaultSeed uint64
}

// Server is the sandbox GitHub.
type Server struct {
	opts Options
	mux  *http.ServeMux
	git  http.Handler

	mu     sync.Mutex
	w      *world
	base   string // http://host
	api    string // http://host/api/v3
	budget map[string]int
	reset  time.Time
	faults Faults
	rng    *rand.Rand

	hooks *deliverer
}

// New builds the world of the seed and the server.
func New(o Options) (*Server, error) {
	if o.Seed == nil {
		o.Seed = &Seed{}
	}
	if err := o.Seed.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.RateLimit == 0 {
		o.RateLimit = 5000
	}
	if o.GitDir == "" {
		dir, err := os.MkdirTemp("", "sandbox-git-")
		if err != nil {
			return nil, err
		}
		o.GitDir = dir
	}
	w, err := newWorld(o.Seed, o.GitDir, o.Now)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: o, w: w, git: gitHTTP(o.GitDir), budget: map[string]int{}, reset: o.Now().Add(time.Hour),
		rng: rand.New(rand.NewPCG(o.FaultSeed, 1)), hooks: newDeliverer(o.WebhookURL, o.HMACSecret, o.Logger)}
	s.mux = http.NewServeMux()
	s.routes()
	return s, nil
}

// Close stops webhook delivery.
func (s *Server) Close() { s.hooks.close() }

// Handler serves the API under / and /api/v3/, git under /<org>/<repo>.git.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// apiError writes GitHub's error JSON.
func apiError(w http.ResponseWriter, code int, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(obj{"message": message, "documentation_url": "https://docs.github.com/rest"})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.base == "" {
		s.base = "http://" + r.Host
		s.api = s.base + "/api/v3"
	}
	s.mu.Unlock()
	if strings.Contains(r.URL.Path, ".git/") || strings.HasSuffix(r.URL.Path, ".git") {
		s.git.ServeHTTP(w, r)
		return
	}
	if s.injectFault(w, r) {
		return
	}
	r.URL.Path = "/" + strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/api/v3"), "/")
	if r.URL.RawPath != "" { // keep escaped slashes (label names) inside one segment
		r.URL.RawPath = "/" + strings.TrimPrefix(strings.TrimPrefix(r.URL.RawPath, "/api/v3"), "/")
	}
	login, ok := s.authenticate(r)
	if !ok && !strings.HasPrefix(r.URL.Path, "/_sandbox/") {
		apiError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if !s.spend(w, login) {
		apiError(w, http.StatusForbidden, "API rate limit exceeded for user "+login+".")
		return
	}
	r.Header.Set("X-Sandbox-User", login)
	if r.Method != http.MethodGet {
		s.mux.ServeHTTP(w, r)
		return
	}
	// GETs carry an ETag; a matching If-None-Match gets a 304.
	rec := &bufferedWriter{header: http.Header{}, code: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	if rec.code == http.StatusOK {
		sum := sha1.Sum(rec.body.Bytes())
		etag := `"` + hex.EncodeToString(sum[:]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			s.refund(w, login)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(rec.code)
	_, _ = w.Write(rec.body.Bytes())
}

type bufferedWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(code int)        { b.code = code }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

func (s *Server) authenticate(r *http.Request) (string, bool) {
	auth := r.Header.Get("Authorization")
	token := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(auth, "token "), "Bearer "))
	s.mu.Lock()
	defer s.mu.Unlock()
	login, ok := s.w.tokens[token]
	return login, ok && token != ""
}

// spend takes one request from the user's hourly budget and writes the
// rate-limit headers; false when the budget is gone.
func (s *Server) spend(w http.ResponseWriter, login string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	if now.After(s.reset) {
		s.budget, s.reset = map[string]int{}, now.Add(time.Hour)
	}
	used := s.budget[login]
	ok := used < s.opts.RateLimit
	if ok {
		used++
		s.budget[login] = used
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.opts.RateLimit-used))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	return ok
}

// refund gives back the request a 304 used, as GitHub does.
func (s *Server) refund(w http.ResponseWriter, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.budget[login] > 0 {
		s.budget[login]--
	}
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(s.opts.RateLimit-s.budget[login]))
	w.Header().Set("X-RateLimit-Used", strconv.Itoa(s.budget[login]))
}

// writeJSON answers with v.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// SetBudget sets how many requests each user may still make this hour
// (tests of primary rate limits).
func (s *Server) SetBudget(remaining int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for login := range s.w.tokens {
		s.budget[s.w.tokens[login]] = s.opts.RateLimit - remaining
	}
}

func (s *Server) String() string { return fmt.Sprintf("sandbox GitHub at %s", s.base) }
