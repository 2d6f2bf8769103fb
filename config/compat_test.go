package config

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// compatDir finds ../shared/compat beside the repository, where the real
// Prow and test-infra fixtures live.
func compatDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	compat := filepath.Join(dir, "..", "shared", "compat")
	if _, err := os.Stat(compat); err != nil {
		tb.Fatalf("the compatibility fixtures are expected at %s (the shared/ folder beside the repository): %v", compat, err)
	}
	return compat
}

// testInfraOptions points at Kubernetes' production Prow configuration.
func testInfraOptions(tb testing.TB) Options {
	root := filepath.Join(compatDir(tb), "test-infra", "config")
	return Options{
		ConfigPath:       filepath.Join(root, "prow", "config.yaml"),
		JobConfigPath:    filepath.Join(root, "jobs"),
		PluginConfigPath: filepath.Join(root, "prow", "plugins.yaml"),
	}
}

var (
	testInfraOnce sync.Once
	testInfraSnap *Snapshot
	testInfraErr  error
)

// loadTestInfra loads the test-infra configuration once per test binary.
func loadTestInfra(tb testing.TB) *Config {
	tb.Helper()
	opts := testInfraOptions(tb)
	testInfraOnce.Do(func() {
		testInfraSnap, _, testInfraErr = Load(opts)
	})
	if testInfraErr != nil {
		tb.Fatalf("load test-infra: %v", testInfraErr)
	}
	return testInfraSnap.Config
}
