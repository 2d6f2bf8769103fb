package config

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkLoadTestInfraSubset loads the subset of Kubernetes' production
// configuration in test/testdata (365 of its about 3,850 jobs, with every
// field the whole uses) and reports, besides time and allocations, the
// heap the loaded configuration keeps alive, and both per job so that the
// figures for the whole configuration can be estimated.
func BenchmarkLoadTestInfraSubset(b *testing.B) {
	opts := testInfraOptions()
	b.ReportAllocs()
	var snap *Snapshot
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var err error
		snap, _, err = Load(opts)
		if err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s := snap.Config.Summarize()
	jobs := float64(s.Presubmits + s.Postsubmits + s.Periodics)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "MB-live")
	b.ReportMetric(float64(m.HeapAlloc)/(1<<10)/jobs, "KB-live/job")
	b.ReportMetric(float64(elapsed.Microseconds())/float64(b.N)/jobs, "µs/job")
	runtime.KeepAlive(snap)
}
