package config

import (
	"runtime"
	"testing"
)

// BenchmarkLoadTestInfraSubset loads the subset of Kubernetes' production
// configuration in test/testdata (config.yaml, plugins.yaml and 365 of
// the about 3,850 jobs, with every field the whole uses) and reports,
// besides time and allocations, the heap the loaded configuration keeps
// alive. The whole configuration's figures come from `prow checkconfig`
// run on it.
func BenchmarkLoadTestInfraSubset(b *testing.B) {
	opts := testInfraOptions()
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
