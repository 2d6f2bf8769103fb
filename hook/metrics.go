package hook

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are hook's Prometheus metrics, named as Prow's where Prow has
// them so existing dashboards keep working. A nil *Metrics records nothing.
type Metrics struct {
	webhooks     *prometheus.CounterVec
	responses    *prometheus.CounterVec
	duplicates   prometheus.Counter
	queueDepth   prometheus.Gauge
	handleTime   *prometheus.HistogramVec
	handleErrors *prometheus.CounterVec
}

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
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "prowbot_webhook_queue_depth", Help: "Deliveries accepted and waiting for a worker.",
		}),
		handleTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "prow_plugin_handle_duration_seconds", Help: "Time a plugin took to handle an event.",
			Buckets: []float64{.001, .01, .1, .5, 1, 5, 10, 30, 60, 120},
		}, []string{"event_type", "action", "plugin", "took_action"}),
		handleErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prow_plugin_handle_errors", Help: "Plugin handlers that returned an error, timed out or panicked.",
		}, []string{"event_type", "action", "plugin", "took_action"}),
	}
	if reg != nil {
		reg.MustRegister(m.webhooks, m.responses, m.duplicates, m.queueDepth, m.handleTime, m.handleErrors)
	}
	return m
}

func (m *Metrics) response(code int, event string) {
	if m == nil {
		return
	}
	m.responses.WithLabelValues(strconv.Itoa(code)).Inc()
	if code == 200 && event != "" {
		m.webhooks.WithLabelValues(event).Inc()
	}
}

func (m *Metrics) duplicate() {
	if m != nil {
		m.duplicates.Inc()
	}
}

func (m *Metrics) queued(depth int) {
	if m != nil {
		m.queueDepth.Set(float64(depth))
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
