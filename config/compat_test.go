package config

import (
	"path/filepath"
	"sync"
	"testing"
)

// testInfraDir holds a subset of the Kubernetes project's production Prow
// configuration: config.yaml and plugins.yaml whole, and the job files
// that together use every field the full job configuration uses (see
// test/testdata/README.md).
var testInfraDir = filepath.Join("..", "test", "testdata", "test-infra", "config")

// testInfraOptions points at the test-infra subset.
func testInfraOptions() Options {
	return Options{
		ConfigPath:       filepath.Join(testInfraDir, "prow", "config.yaml"),
		JobConfigPath:    filepath.Join(testInfraDir, "jobs"),
		PluginConfigPath: filepath.Join(testInfraDir, "prow", "plugins.yaml"),
	}
}

var (
	testInfraOnce sync.Once
	testInfraSnap *Snapshot
	testInfraErr  error
)

// loadTestInfra loads the test-infra subset once per test binary.
func loadTestInfra(tb testing.TB) *Config {
	tb.Helper()
	opts := testInfraOptions()
	testInfraOnce.Do(func() {
		testInfraSnap, _, testInfraErr = Load(opts)
	})
	if testInfraErr != nil {
		tb.Fatalf("load test-infra: %v", testInfraErr)
	}
	return testInfraSnap.Config
}
