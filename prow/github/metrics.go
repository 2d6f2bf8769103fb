package github

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the client's Prometheus metrics. A nil *Metrics records
// nothing.
type Metrics struct {
	requests  *prometheus.CounterVec
	cacheUse  *prometheus.CounterVec
	retries   *prometheus.CounterVec
	remaining *prometheus.GaugeVec
}

// NewMetrics creates the metrics and registers them on reg (nil: none).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "prowbot_github_requests_total",
			Help: "GitHub API requests by method, route and status code."}, []string{"method", "route", "code"}),
		cacheUse: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "prowbot_github_cache_total",
			Help: "Conditional-request cache outcomes: miss, revalidated (a 304 served from cache), uncacheable."}, []string{"outcome"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "prowbot_github_retries_total",
			Help: "Requests retried, by reason."}, []string{"reason"}),
		remaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "prowbot_github_ratelimit_remaining",
			Help: "Remaining API budget GitHub reported, by resource."}, []string{"resource"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.cacheUse, m.retries, m.remaining)
	}
	return m
}

func (m *Metrics) cache(outcome string) {
	if m != nil {
		m.cacheUse.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) retry(reason string) {
	if m != nil {
		m.retries.WithLabelValues(reason).Inc()
	}
}

// route turns a request path into a route template, so metric labels
// stay few: /repos/:owner/:repo/issues/:id/labels/:name.
func route(path string) string {
	parts := strings.Split(path, "/")
	for i := 0; i < len(parts); i++ {
		switch parts[i] {
		case "repos":
			if i+2 < len(parts) {
				parts[i+1], parts[i+2] = ":owner", ":repo"
				i += 2
			}
			continue
		case "orgs", "users", "teams", "labels", "contents", "collaborators", "members", "memberships", "assignees":
			if i+1 < len(parts) {
				parts[i+1] = ":name"
				i++
			}
			continue
		case "ref", "refs", "commits", "statuses", "status":
			if i+1 < len(parts) {
				parts = append(parts[:i+1], ":ref")
			}
			continue
		}
		if _, err := strconv.ParseInt(parts[i], 10, 64); err == nil {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

// metricsTransport counts requests and records the remaining budget.
type metricsTransport struct {
	next    http.RoundTripper
	metrics *Metrics
}

func (t *metricsTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if t.metrics == nil {
		return resp, err
	}
	code := "error"
	if resp != nil {
		code = strconv.Itoa(resp.StatusCode)
		if rem := resp.Header.Get("X-RateLimit-Remaining"); rem != "" {
			if v, perr := strconv.ParseFloat(rem, 64); perr == nil {
				res := resp.Header.Get("X-RateLimit-Resource")
				if res == "" {
					res = "core"
				}
				t.metrics.remaining.WithLabelValues(res).Set(v)
			}
		}
	}
	t.metrics.requests.WithLabelValues(req.Method, route(req.URL.Path), code).Inc()
	return resp, err
}
