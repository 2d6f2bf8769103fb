package checkconfig

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/prowbot/prow/config"
)

func write(t *testing.T, path string, size int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestInputBytesCountsTheYAMLTheLoaderReads(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "config.yaml"), 100)
	write(t, filepath.Join(dir, "plugins.yaml"), 20)
	write(t, filepath.Join(dir, "jobs", "a.yaml"), 1000)
	write(t, filepath.Join(dir, "jobs", "sub", "b.yml"), 300)
	write(t, filepath.Join(dir, "jobs", "README.md"), 5000)
	cases := []struct {
		name string
		o    config.Options
		want int64
	}{
		{"config, plugins and a job directory", config.Options{ConfigPath: filepath.Join(dir, "config.yaml"), PluginConfigPath: filepath.Join(dir, "plugins.yaml"), JobConfigPath: filepath.Join(dir, "jobs")}, 1420},
		{"a single job file", config.Options{ConfigPath: filepath.Join(dir, "config.yaml"), JobConfigPath: filepath.Join(dir, "jobs", "a.yaml")}, 1100},
		{"missing files count for nothing", config.Options{ConfigPath: filepath.Join(dir, "none.yaml"), JobConfigPath: filepath.Join(dir, "nojobs")}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := inputBytes(tc.o); got != tc.want {
				t.Errorf("inputBytes = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestLoadRestoresTheCollectorSettings(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "config.yaml"), 0)
	limit := debug.SetMemoryLimit(-1)
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	if _, _, err := load(config.Options{ConfigPath: filepath.Join(dir, "config.yaml")}); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit %d after load, want %d", got, limit)
	}
	if got := debug.SetGCPercent(percent); got != percent {
		t.Errorf("GC percent %d after load, want %d", got, percent)
	}
}
