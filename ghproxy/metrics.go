package ghproxy

import "github.com/prometheus/client_golang/prometheus"

// Cache modes, as the responses metric counts them.
const (
	modeMiss        = "miss"        // fetched; not in the cache before
	modeChanged     = "changed"     // in the cache, but GitHub had a newer version
	modeRevalidated = "revalidated" // GitHub answered 304: served from the cache, free
	modeCoalesced   = "coalesced"   // shared the answer of an identical request in flight
	modeNoStore     = "no-store"    // a GET whose answer cannot be cached (no ETag, not 200)
	modeSkip        = "skip"        // not a cacheable request (a write, a range)
	modeError       = "error"       // GitHub could not be reached
)

type metrics struct {
	responses    *prometheus.CounterVec
	upstream     *prometheus.HistogramVec
	throttleWait *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer, c *cache) *metrics {
	m := &metrics{
		responses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ghproxy_responses_total",
			Help: "Responses of the proxy by cache mode: miss, changed, revalidated (a free 304 upstream), coalesced, no-store, skip, error.",
		}, []string{"mode"}),
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ghproxy_upstream_duration_seconds",
			Help:    "Time GitHub took to answer the proxy, by request kind (read, write, graphql) and status code.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
		}, []string{"kind", "code"}),
		throttleWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "ghproxy_throttle_wait_seconds",
			Help:    "Time requests waited for their token's turn and an upstream slot, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"kind"}),
	}
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "ghproxy_cache_bytes", Help: "Bytes of responses in the cache.",
	}, func() float64 { b, _ := c.stats(); return float64(b) })
	entries := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "ghproxy_cache_entries", Help: "Responses in the cache.",
	}, func() float64 { _, n := c.stats(); return float64(n) })
	if reg != nil {
		reg.MustRegister(m.responses, m.upstream, m.throttleWait, size, entries)
	}
	return m
}
