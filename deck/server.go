package deck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck/auth"
	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// Opener opens a bucket by its location (gs://bucket, s3://bucket, file:///dir);
// *storage.Opener is one.
type Opener interface {
	Open(ctx context.Context, location string) (storage.Bucket, error)
}

// RerunFunc starts a new run of pj on behalf of user and returns it.
type RerunFunc func(ctx context.Context, pj *prowapi.ProwJob, user string) (*prowapi.ProwJob, error)

// AbortFunc aborts pj on behalf of user.
type AbortFunc func(ctx context.Context, pj *prowapi.ProwJob, user string) error

// LiveLogFunc opens the log of a running job from its start; deck skips
// to the offset it needs (seeking when the reader can).
type LiveLogFunc func(ctx context.Context, pj *prowapi.ProwJob) (io.ReadCloser, error)

// PluginHelpFunc returns the JSON hook serves at /plugin-help.
type PluginHelpFunc func(ctx context.Context) ([]byte, error)

// Options are what a Server is built from. Lister, Getter and Config are
// required; the rest turn features on.
type Options struct {
	// Lister and Getter read jobs (one store usually implements both).
	Lister jobs.Lister
	Getter jobs.Getter
	// Storage opens artifact buckets; nil serves no artifacts.
	Storage Opener
	// Config is the configuration in force (deck settings, hidden repos,
	// rerun permissions, jobs).
	Config config.Getter
	// PluginHelp feeds /command-help and /plugins; nil hides them.
	PluginHelp PluginHelpFunc
	// Rerun and Abort act on jobs; nil hides the buttons.
	Rerun RerunFunc
	Abort AbortFunc
	// Tide reads tide's pools and history for /tide, /tide-history, /pr,
	// /tide.js and /tide-history.js; nil hides them.
	Tide TideFunc
	// LiveLog streams the log of a running job; nil shows only stored
	// logs.
	LiveLog LiveLogFunc
	// PodInfo reads a job's pod from the cluster (cluster mode); nil
	// leaves the pod lens out.
	PodInfo PodInfoFunc
	// AllowedBuckets are the buckets /view/gs/ (a bare name or gs://name)
	// and /view/s3/ (s3://name) may read, besides
	// deck.additional_allowed_buckets and the buckets of the default
	// decoration configs.
	AllowedBuckets []string
	// LocalBucket is the location of the local artifact directory that
	// /view/local/<path> reads (file:///dir or a directory).
	LocalBucket string
	// ShowHidden shows hidden repos and jobs (an internal deck).
	ShowHidden bool
	// CookieSecret signs session cookies and CSRF tokens (32+ bytes);
	// needed for rerun and abort.
	CookieSecret []byte
	// OAuth is the GitHub OAuth app users log in with; nil disables
	// login (Authenticate may still name users).
	OAuth *auth.OAuthConfig
	// ExternalURL is the address people reach deck at; when it is https
	// every cookie is Secure.
	ExternalURL string
	// TrustedProxies are the proxies (IP addresses or CIDR prefixes)
	// whose X-Forwarded-Proto: https makes cookies Secure.
	TrustedProxies []string
	// RevokedSessionsFile keeps the sessions that logged out, so that a
	// copied cookie stays dead across restarts; in memory when empty.
	RevokedSessionsFile string
	// HTTPClient talks to GitHub for OAuth (http.DefaultClient if nil).
	HTTPClient *http.Client
	// Authenticate, when set, names the user of a request instead of
	// the session cookie: for tests and for deployments behind an
	// authenticating proxy.
	Authenticate func(r *http.Request) (user string, ok bool)
	// HighlightPatterns mark error lines in build logs
	// (lens.DefaultErrorPatterns when empty).
	HighlightPatterns []string
	// RefreshInterval is how often the job list refreshes itself
	// (default 10 s).
	RefreshInterval time.Duration
	// PageSize is the number of jobs per list page (default 50, at most
	// 200).
	PageSize int
	// Logger logs with the package's fixed keys.
	Logger *logrus.Entry
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

// Validate checks the options and fills in defaults.
func (o *Options) Validate() error {
	switch {
	case o.Lister == nil || o.Getter == nil:
		return errors.New("deck needs a job Lister and Getter")
	case o.Config == nil:
		return errors.New("deck needs a config Getter")
	case (o.Rerun != nil || o.Abort != nil) && len(o.CookieSecret) < 32:
		return errors.New("rerun and abort need a cookie secret of at least 32 bytes for sessions and CSRF tokens")
	case o.OAuth != nil && len(o.CookieSecret) < 32:
		return errors.New("GitHub login needs a cookie secret of at least 32 bytes")
	}
	if _, err := auth.NewCookiePolicy(o.ExternalURL, o.TrustedProxies); err != nil {
		return err
	}
	if o.OAuth != nil {
		if err := o.OAuth.Validate(); err != nil {
			return fmt.Errorf("GitHub OAuth config: %w", err)
		}
	}
	o.defaults()
	return nil
}

// defaults fills in what the options leave out.
func (o *Options) defaults() {
	if o.PageSize <= 0 {
		o.PageSize = 50
	}
	o.PageSize = min(o.PageSize, 200)
	if o.RefreshInterval <= 0 {
		o.RefreshInterval = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
}

// Server is the dashboard.
type Server struct {
	opts        Options
	log         *logrus.Entry
	pages       *pages
	buckets     *bucketCache
	facts       *ttlCache[dirFacts]
	jobVerdicts *ttlCache[verdict]
	suggest     *ttlCache[suggestions]
	ruleCache   rulesCache
	highlight   *lens.Highlighter
	lenses      lensCache
	codec       *auth.Codec
	oauth       *auth.OAuth
	handler     http.Handler
}

// New builds the dashboard.
func New(opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	h, err := lens.NewHighlighter(opts.HighlightPatterns)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, log: opts.Logger, pages: p, highlight: h, buckets: newBucketCache(opts.Storage), facts: newTTLCache[dirFacts](), jobVerdicts: newTTLCache[verdict](), suggest: newTTLCache[suggestions]()}
	if len(opts.CookieSecret) > 0 {
		if s.codec, err = auth.NewCodec(opts.CookieSecret); err != nil {
			return nil, err
		}
		if s.codec.Policy, err = auth.NewCookiePolicy(opts.ExternalURL, opts.TrustedProxies); err != nil {
			return nil, err
		}
		if s.codec.Revoked, err = auth.OpenRevoked(opts.RevokedSessionsFile, opts.Now()); err != nil {
			return nil, err
		}
	}
	if opts.OAuth != nil {
		s.oauth = &auth.OAuth{Config: opts.OAuth, Codec: s.codec, Client: opts.HTTPClient, Now: opts.Now}
	}
	s.handler = s.routes()
	return s, nil
}

// Handler serves every page, the API and the assets.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the buckets the server opened and the revoked sessions
// file.
func (s *Server) Close() error {
	err := s.buckets.close()
	if s.codec != nil && s.codec.Revoked != nil {
		err = errors.Join(err, s.codec.Revoked.Close())
	}
	return err
}

// config returns the configuration in force, never nil.
func (s *Server) config() *config.Config {
	if c := s.opts.Config(); c != nil {
		return c
	}
	return &config.Config{}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleList)
	mux.HandleFunc("GET /api/jobs", s.handleAPIJobs)
	mux.HandleFunc("GET /api/job/{name}", s.handleAPIJob)
	mux.HandleFunc("GET /api/job-stats", s.handleJobStats)
	mux.HandleFunc("GET /api/suggest", s.handleSuggest)
	mux.HandleFunc("GET /api/log", s.handleAPILog)
	mux.HandleFunc("GET /api/history/{rest...}", s.handleAPIHistory)
	mux.HandleFunc("GET /api/pr-history", s.handleAPIPRHistory)
	mux.HandleFunc("GET /view/{rest...}", s.handleView)
	mux.HandleFunc("GET /file/{rest...}", s.handleFile)
	mux.HandleFunc("GET /lens/html/{rest...}", s.handleLensHTML)
	mux.HandleFunc("GET /job-history/{rest...}", s.handleJobHistory)
	mux.HandleFunc("GET /pr-history", s.handlePRHistory)
	mux.HandleFunc("GET /pr-history/{$}", s.handlePRHistory)
	mux.HandleFunc("GET /command-help", s.handleCommandHelp)
	mux.HandleFunc("GET /plugins", s.handlePlugins)
	mux.HandleFunc("GET /badge.svg", s.handleBadge)
	mux.HandleFunc("GET /tide", s.handleTide)
	mux.HandleFunc("GET /tide-history", s.handleTideHistory)
	mux.HandleFunc("GET /pr", s.handlePR)
	mux.HandleFunc("GET /tide.js", s.handleTideJSON)
	mux.HandleFunc("GET /tide-history.js", s.handleTideHistoryJSON)
	mux.HandleFunc("POST /rerun", s.handleRerun)
	mux.HandleFunc("POST /abort", s.handleAbort)
	mux.HandleFunc("GET /github-login", s.handleLogin)
	mux.HandleFunc("GET /github-login/redirect", s.handleLoginCallback)
	mux.HandleFunc("POST /logout", s.handleLogout)
	for _, p := range []string{"/rerun", "/abort", "/logout"} {
		mux.HandleFunc(p, s.postOnly)
	}
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /favicon.ico", serveFavicon)
	s.prowRoutes(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "Page not found", "There is no page at "+r.URL.Path+".")
	})
	return guard(s, securityHeaders(mux))
}

// postOnly answers the other methods of a route that changes something:
// a link or an image must not rerun, abort or log out.
func (s *Server) postOnly(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", http.MethodPost)
	s.fail(w, r, http.StatusMethodNotAllowed, "Method not allowed", r.URL.Path+" only takes a form sent with POST.")
}
