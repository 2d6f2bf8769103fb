package hook

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are hook's Prometheus metrics, named as Prow's where Prow has
// them so existing dashboards keep working. A nil *Metrics records nothing.
type Metrics struct {
	webhooks     *prometheus.CounterVec
	responses    *prometheus.CounterVec
	duplicates   prometheus.Counter
	handleTime   *prometheus.HistogramVec
	handleErrors *prometheus.CounterVec
	// backlog reports the journal's backlog for the gauges; set by the
	// server once it has a journal.
	backlog atomic.Pointer[backlogFunc]
}

// backlogFunc reports deliveries not yet handled, those waiting for a
// worker and how long the oldest of those has waited.
type backlogFunc func() (pending, waiting int, age time.Duration)

// NewMetrics creates hook's metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prow_webhook_counter", Help: "Webhook deliveries accepted, by event type.",
		}, []string{"event_type"}),
		responses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prow_webhook_response_codes", Help: "Responses to webhook deliveries, by status code.",
		}, []string{"response_code"}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "prowbot_webhook_duplicates_total", Help: "Deliveries whose ID was seen before and were not handled again.",
		}),
		handleTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "prow_plugin_handle_duration_seconds", Help: "Time a plugin took to handle an event.",
			Buckets: []float64{.001, .01, .1, .5, 1, 5, 10, 30, 60, 120},
		}, []string{"event_type", "action", "plugin", "took_action"}),
		handleErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prow_plugin_handle_errors", Help: "Plugin handlers that returned an error, timed out or panicked.",
		}, []string{"event_type", "action", "plugin", "took_action"}),
	}
	gauge := func(name, help string, pick func(pending, waiting int, age time.Duration) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
			if f := m.backlog.Load(); f != nil {
				return pick((*f)())
			}
			return 0
		})
	}
	if reg != nil {
		reg.MustRegister(m.webhooks, m.responses, m.duplicates, m.handleTime, m.handleErrors,
			gauge("prowbot_webhook_queue_depth", "Deliveries acknowledged and waiting in the journal for a worker.",
				func(_, waiting int, _ time.Duration) float64 { return float64(waiting) }),
			gauge("prowbot_webhook_backlog", "Deliveries acknowledged and not yet handled (waiting or being handled).",
				func(pending, _ int, _ time.Duration) float64 { return float64(pending) }),
			gauge("prowbot_webhook_backlog_oldest_seconds", "How long the oldest delivery waiting for a worker has waited.",
				func(_, _ int, age time.Duration) float64 { return age.Seconds() }))
	}
	return m
}

// observe makes the backlog gauges report through f.
func (m *Metrics) observe(f backlogFunc) {
	if m != nil {
		m.backlog.Store(&f)
	}
}

func (m *Metrics) response(code int, event string) {
	if m == nil {
		return
	}
	m.responses.WithLabelValues(strconv.Itoa(code)).Inc()
	if code == 200 && event != "" {
		// A label must be UTF-8 (Prometheus panics otherwise), and the
		// event header is whatever the sender put there.
		m.webhooks.WithLabelValues(strings.ToValidUTF8(event, "\uFFFD")).Inc()
	}
}

func (m *Metrics) duplicate() {
	if m != nil {
		m.duplicates.Inc()
	}
}

// Handled records one plugin's handling of an event.
func (m *Metrics) Handled(event, action, plugin string, tookAction bool, took time.Duration, failed bool) {
	if m == nil {
		return
	}
	labels := []string{event, action, plugin, strconv.FormatBool(tookAction)}
	m.handleTime.WithLabelValues(labels...).Observe(took.Seconds())
	if failed {
		m.handleErrors.WithLabelValues(labels...).Inc()
	}
}
