package config

import (
	"runtime"
	"testing"
)

// BenchmarkLoadTestInfra loads Kubernetes' whole production configuration
// (about 3,850 jobs) and reports, besides time and allocations, the heap the
// loaded configuration keeps alive.
func BenchmarkLoadTestInfra(b *testing.B) {
	opts := testInfraOptions(b)
	b.ReportAllocs()
	var snap *Snapshot
	for i := 0; i < b.N; i++ {
		var err error
		snap, _, err = Load(opts)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "MB-live")
	runtime.KeepAlive(snap)
}
