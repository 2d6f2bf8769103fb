package main

import (
	"math"
	"strings"
	"testing"
)

// metricsPage is a /metrics page with a histogram of two series, a
// gauge, and a metric whose name starts with the gauge's.
const metricsPage = `# HELP controller_runtime_reconcile_time_seconds Length of time per reconciliation per controller
# TYPE controller_runtime_reconcile_time_seconds histogram
controller_runtime_reconcile_time_seconds_bucket{controller="prowjob",le="0.1"} 50
controller_runtime_reconcile_time_seconds_bucket{controller="prowjob",le="0.5"} 90
controller_runtime_reconcile_time_seconds_bucket{controller="prowjob",le="+Inf"} 100
controller_runtime_reconcile_time_seconds_bucket{controller="other",le="0.1"} 50
controller_runtime_reconcile_time_seconds_bucket{controller="other",le="0.5"} 90
controller_runtime_reconcile_time_seconds_bucket{controller="other",le="+Inf"} 100
controller_runtime_reconcile_time_seconds_sum{controller="prowjob"} 12
controller_runtime_reconcile_time_seconds_count{controller="prowjob"} 100
# TYPE go_memstats_heap_inuse_bytes gauge
go_memstats_heap_inuse_bytes 1.048576e+07
go_memstats_heap_inuse_bytes_total 7
`

func TestMetricsPageValuesAndQuantiles(t *testing.T) {
	page := promText(strings.Split(metricsPage, "\n"))
	if v, ok := page.value("go_memstats_heap_inuse_bytes"); !ok || v != 10485760 {
		t.Errorf("heap in use: %v, %v; want 10485760 (and not the _total metric added)", v, ok)
	}
	cases := []struct {
		match   string
		q, want float64
	}{
		// 200 observations: the 100th is the last of the 0.1 buckets.
		{"", 0.5, 0.1},
		// The 170th: 0.1 + 0.4 × (170-100)/(180-100).
		{"", 0.85, 0.1 + 0.4*70.0/80.0},
		// Past the last finite bound: that bound, as Prometheus says.
		{"", 0.99, 0.5},
		// One controller's 100: the 70th is 0.1 + 0.4 × (70-50)/(90-50).
		{`controller="prowjob"`, 0.7, 0.3},
	}
	for _, c := range cases {
		got, ok := page.histogramQuantile("controller_runtime_reconcile_time_seconds", c.match, c.q)
		if !ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("quantile %v: %v, %v; want %v", c.q, got, ok, c.want)
		}
	}
	if _, ok := page.histogramQuantile("workqueue_work_duration_seconds", "", 0.99); ok {
		t.Error("a quantile of a histogram the page lacks")
	}
}
