package ghproxy

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"
	"golang.org/x/sync/singleflight"

	"github.com/prowbot/prow/prow/github"
)

// Options configure a Proxy.
type Options struct {
	// Upstream is GitHub's API as --github-endpoint takes it (default
	// github.com's).
	Upstream string
	// CacheDir keeps responses on disk (they survive a restart); empty
	// keeps them in memory. CacheBytes bounds either (default 1 GiB).
	CacheDir   string
	CacheBytes int64
	// ReadSpacing, WriteSpacing and GraphQLSpacing are the least time
	// between two requests of one token of that kind (0: none); MaxDelay
	// the longest a request waits for its turn (default 30s).
	ReadSpacing, WriteSpacing, GraphQLSpacing time.Duration
	MaxDelay                                  time.Duration
	// MaxConcurrency caps the requests in flight to GitHub (0: no cap).
	MaxConcurrency int
	// RequestTimeout bounds one upstream request (default 2m).
	RequestTimeout time.Duration

	Registerer prometheus.Registerer
	Logger     *logrus.Entry
	// Transport reaches GitHub (default http.DefaultTransport's clone).
	Transport http.RoundTripper
}

// Proxy serves GitHub's API from its cache and GitHub.
type Proxy struct {
	rest, graphql *url.URL
	cache         *cache
	throttle      *throttle
	client        *http.Client
	group         singleflight.Group
	metrics       *metrics
	log           *logrus.Entry
	waiting       atomic.Int64 // cacheable GETs waiting for their answer
}

// New opens the cache and builds the proxy.
func New(o Options) (*Proxy, error) {
	if o.Upstream == "" {
		o.Upstream = github.DefaultEndpoint
	}
	restBase, graphqlBase := github.APIEndpoints(o.Upstream)
	rest, err := url.Parse(restBase)
	if err != nil || (rest.Scheme != "http" && rest.Scheme != "https") || rest.Host == "" {
		return nil, fmt.Errorf("upstream %q is not an http(s) URL", o.Upstream)
	}
	gql, err := url.Parse(graphqlBase)
	if err != nil {
		return nil, fmt.Errorf("upstream %q: %w", o.Upstream, err)
	}
	if o.CacheBytes <= 0 {
		o.CacheBytes = 1 << 30
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 30 * time.Second
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 2 * time.Minute
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	c, err := newCache(o.CacheDir, o.CacheBytes)
	if err != nil {
		return nil, err
	}
	return &Proxy{
		rest: rest, graphql: gql, cache: c,
		throttle: newThrottle(map[string]time.Duration{kindRead: o.ReadSpacing, kindWrite: o.WriteSpacing, kindGraphQL: o.GraphQLSpacing}, o.MaxDelay, o.MaxConcurrency),
		client: &http.Client{
			Transport: o.Transport,
			Timeout:   o.RequestTimeout,
			// Redirects go back to the client, which knows what it asked.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		metrics: newMetrics(o.Registerer, c),
		log:     o.Logger.WithField("component", "ghproxy"),
	}, nil
}

// route is where a request goes upstream.
type route struct {
	target *url.URL
	kind   string
	prefix string // the path prefix the client used for REST ("" or "/api/v3")
	token  string // the cache partition of the client's credentials
}

func (p *Proxy) route(r *http.Request) (route, error) {
	rt := route{kind: kindRead, token: hashKey(r.Header.Get("Authorization"))}
	path := r.URL.EscapedPath()
	base := p.rest
	switch {
	case path == "/graphql" || path == "/api/graphql":
		base, path, rt.kind = p.graphql, "", kindGraphQL
	case path == "/api/v3" || strings.HasPrefix(path, "/api/v3/"):
		rt.prefix, path = "/api/v3", strings.TrimPrefix(path, "/api/v3")
	}
	if rt.kind != kindGraphQL && r.Method != http.MethodGet && r.Method != http.MethodHead {
		rt.kind = kindWrite
	}
	joined, err := url.JoinPath(base.String(), path)
	if err != nil {
		return rt, err
	}
	if rt.target, err = url.Parse(joined); err != nil {
		return rt, err
	}
	rt.target.RawQuery = r.URL.RawQuery
	return rt, nil
}

// ServeHTTP answers one API request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, err := p.route(r)
	if err != nil {
		http.Error(w, "ghproxy: bad path: "+err.Error(), http.StatusBadRequest)
		return
	}
	if r.Method == http.MethodGet && r.Header.Get("Range") == "" {
		p.serveCached(w, r, rt)
		return
	}
	p.metrics.responses.WithLabelValues(modeSkip).Inc()
	resp, err := p.upstream(r, rt, r.Body, nil)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	defer resp.Body.Close()
	p.writeHeader(w, r, rt, resp.Header, resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// upstream sends r to GitHub with the client's headers (but hop-by-hop
// ones; adjust, when set, changes them further), in the token's turn.
func (p *Proxy) upstream(r *http.Request, rt route, body io.Reader, adjust func(http.Header)) (*http.Response, error) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, rt.target.String(), body)
	if err != nil {
		return nil, err
	}
	copyHeader(req.Header, r.Header)
	if adjust != nil {
		adjust(req.Header)
	}
	req.ContentLength = r.ContentLength
	waited, done, err := p.throttle.acquire(r.Context(), rt.token, rt.kind)
	p.metrics.throttleWait.WithLabelValues(rt.kind).Observe(waited.Seconds())
	if err != nil {
		return nil, err
	}
	defer done()
	start := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	p.metrics.upstream.WithLabelValues(rt.kind, fmt.Sprint(resp.StatusCode)).Observe(time.Since(start).Seconds())
	return resp, nil
}

func (p *Proxy) fail(w http.ResponseWriter, r *http.Request, err error) {
	p.metrics.responses.WithLabelValues(modeError).Inc()
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		return // the client went away
	}
	p.log.WithError(err).WithField("path", r.URL.Path).Warn("GitHub could not be reached")
	http.Error(w, "ghproxy: GitHub could not be reached: "+err.Error(), http.StatusBadGateway)
}

// hopByHop are the headers of one connection, never forwarded.
var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		if !hopByHop[k] {
			dst[k] = append([]string(nil), vs...)
		}
	}
}

// writeHeader sends GitHub's headers and status to the client, with the
// pagination links pointing back at the proxy.
func (p *Proxy) writeHeader(w http.ResponseWriter, r *http.Request, rt route, h http.Header, code int) {
	copyHeader(w.Header(), h)
	if links := h.Values("Link"); len(links) > 0 {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		here := scheme + "://" + r.Host + rt.prefix
		w.Header().Del("Link")
		for _, l := range links {
			w.Header().Add("Link", strings.ReplaceAll(l, p.rest.String(), here))
		}
	}
	w.WriteHeader(code)
}
