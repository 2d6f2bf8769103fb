package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Options configure a Server. Only Seed is needed; the rest have
// defaults.
type Options struct {
	// Seed is the starting world (an empty world when nil).
	Seed *Seed
	// WebhookURL receives a signed delivery for every change; when empty
	// deliveries are only logged (see Deliveries).
	WebhookURL string
	// HMACSecret signs deliveries (X-Hub-Signature-256).
	HMACSecret []byte
	// InstallationID, when set, is sent as installation.id in every
	// delivery, as GitHub does for an App's webhooks.
	InstallationID int64
	Logger         *logrus.Entry
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// GitDir holds the bare repositories (a temporary directory, removed
	// by Close, when empty).
	GitDir string
	// GitPush accepts git push over HTTP from users with write access
	// (HTTP basic auth, the password being the user's token).
	GitPush bool
	// BaseURL is where clients reach the server, used in the URLs of
	// responses and deliveries; when empty it comes from each request's
	// Host (or from Start).
	BaseURL string
	// RateLimit is each user's hourly budget of core requests (5000);
	// SearchRateLimit each user's budget of search requests a minute
	// (300, above github.com's 30 so tests and demos do not starve).
	RateLimit       int
	SearchRateLimit int
	// Faults and FaultSeed configure fault injection (none by default).
	Faults    Faults
	FaultSeed uint64
	// WebhookQueue bounds the deliveries waiting to be sent (1000); more
	// are dropped and logged. WebhookAttempts (4) and WebhookBackoff
	// (100ms, doubling) govern retries.
	WebhookQueue    int
	WebhookAttempts int
	WebhookBackoff  time.Duration
	// LazyMergeable makes mergeability lazy, as GitHub's is: the first
	// read of a pull request since its head or base last moved reports it
	// unknown (REST mergeable: null, GraphQL UNKNOWN) and asks for it to be
	// computed; later reads report it. Off, every read reports it.
	LazyMergeable bool
	// SearchLimit is the most results a search gives, REST or GraphQL
	// (GitHub's 1,000); the count says how many match.
	SearchLimit int
}

func (o *Options) defaults() {
	if o.Seed == nil {
		o.Seed = &Seed{}
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RateLimit <= 0 {
		o.RateLimit = 5000
	}
	if o.SearchRateLimit <= 0 {
		o.SearchRateLimit = 300
	}
	if o.SearchLimit <= 0 {
		o.SearchLimit = 1000
	}
	if o.WebhookQueue <= 0 {
		o.WebhookQueue = 1000
	}
	if o.WebhookAttempts <= 0 {
		o.WebhookAttempts = 4
	}
	if o.WebhookBackoff <= 0 {
		o.WebhookBackoff = 100 * time.Millisecond
	}
	o.BaseURL = strings.TrimSuffix(o.BaseURL, "/")
}

// Server is the sandbox GitHub. Its zero value is not usable; call New.
type Server struct {
	opts    Options
	log     *logrus.Entry
	api     *router
	admin   *router
	git     http.Handler
	gql     *graphqlSchema
	tempDir string

	mu sync.Mutex // guards w and every git repository
	w  *world

	limits *limiter
	faults *faultInjector
	hooks  *deliverer

	baseMu  sync.Mutex
	base    string
	httpSrv *http.Server
	closed  sync.Once
}

// New builds the seed's world, with its git repositories, and starts the
// webhook sender. Close releases both.
func New(opts Options) (*Server, error) {
	opts.defaults()
	if err := opts.Seed.Validate(); err != nil {
		return nil, fmt.Errorf("sandbox seed: %w", err)
	}
	if err := opts.Faults.Validate(); err != nil {
		return nil, fmt.Errorf("sandbox faults: %w", err)
	}
	ctx := context.Background()
	if err := checkGitVersion(ctx); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, log: opts.Logger, base: opts.BaseURL}
	if opts.GitDir == "" {
		dir, err := os.MkdirTemp("", "sandbox-git-")
		if err != nil {
			return nil, fmt.Errorf("create the sandbox git directory: %w", err)
		}
		s.opts.GitDir, s.tempDir = dir, dir
	}
	w, err := buildWorld(ctx, opts.Seed, s.opts.GitDir, opts.GitPush, opts.Now)
	if err != nil {
		s.removeTemp()
		return nil, err
	}
	s.w = w
	s.limits = newLimiter(opts.Now, opts.RateLimit, opts.SearchRateLimit)
	s.faults = newFaultInjector(opts.Faults, opts.FaultSeed)
	s.hooks = newDeliverer(opts, s.log)
	s.git = s.gitHandler()
	s.api, s.admin = s.apiRoutes(), s.adminRoutes()
	if s.gql, err = newGraphQLSchema(); err != nil {
		s.removeTemp()
		return nil, err
	}
	return s, nil
}

// Handler serves the REST API under / and /api/v3/, git under
// /<owner>/<repo>.git and the sandbox's own API under /_sandbox/.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Start serves Handler on addr (127.0.0.1:0 picks a port) until ctx ends
// or Close is called, and returns the base URL.
func (s *Server) Start(ctx context.Context, addr string) (string, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sandbox listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	s.baseMu.Lock()
	if s.opts.BaseURL == "" {
		s.base = base
	}
	s.httpSrv = srv
	s.baseMu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.WithError(err).Error("Sandbox server stopped")
		}
	}()
	go func() {
		<-ctx.Done()
		s.shutdown()
	}()
	s.log.WithField("url", base).Info("Sandbox GitHub listening")
	return base, nil
}

// URL is the base URL the server knows itself by: Options.BaseURL, the
// address Start listens on, or the host of the first request; "" before.
func (s *Server) URL() string {
	s.baseMu.Lock()
	defer s.baseMu.Unlock()
	return s.base
}

func (s *Server) shutdown() {
	s.baseMu.Lock()
	srv := s.httpSrv
	s.baseMu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		s.log.WithError(err).Warn("Sandbox server did not stop cleanly")
	}
}

// Close stops the server Start started and the webhook sender (pending
// deliveries are dropped; call Flush first to wait for them), and removes
// the temporary git directory.
func (s *Server) Close() {
	s.closed.Do(func() {
		s.shutdown()
		s.hooks.close()
		s.removeTemp()
	})
}

func (s *Server) removeTemp() {
	if s.tempDir == "" {
		return
	}
	if err := os.RemoveAll(s.tempDir); err != nil {
		s.log.WithError(err).Warn("Cannot remove the sandbox git directory")
	}
}

// GitDir is where the bare repositories live (<owner>/<repo>.git).
func (s *Server) GitDir() string { return s.opts.GitDir }

// Deliveries lists the webhooks sent (or dropped) so far, oldest first.
func (s *Server) Deliveries() []Delivery { return s.hooks.history() }

// Flush waits until every webhook queued so far has been delivered or
// given up on.
func (s *Server) Flush(ctx context.Context) error { return s.hooks.flush(ctx) }

func (s *Server) String() string { return "sandbox GitHub at " + s.URL() }
