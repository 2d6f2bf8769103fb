package checkconfig

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/yamlconf"
)

// load loads the configuration once, with the garbage collector tuned
// for a short-lived process that only parses: rather than collecting
// each time the heap doubles (many collections while the heap is small
// and growing), it collects when the process nears a memory budget
// sized from the input (see gcBudget). The settings are restored
// afterwards, so an embedding process keeps its own.
func load(o config.Options) (*config.Snapshot, []yamlconf.Problem, error) {
	limit := gcBudget(inputBytes(o))
	oldLimit := debug.SetMemoryLimit(limit)
	oldPercent := debug.SetGCPercent(gcPercent)
	defer func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}()
	return config.Load(o)
}

// gcPercent still bounds the heap to a multiple of what is live when the
// budget is far above it.
const gcPercent = 300

// gcBudget is the memory the process may use while loading input bytes
// of YAML: the parsed configuration keeps about six bytes per byte of
// YAML alive (Kubernetes' test-infra: 6 MB of YAML, 35 MB live), plus a
// fixed headroom for the runtime's own memory and the files being parsed
// (with 16 MiB, the end of test-infra's load collected every 3 MB; 20
// costs 4 MiB more and a tenth less CPU). Should a configuration keep
// more alive, the runtime caps the collector's share of the CPU and lets
// the heap grow past the budget: slower, never stuck.
func gcBudget(input int64) int64 {
	return 20<<20 + 6*input
}

// inputBytes is the size of the YAML files o names (unreadable ones
// count for nothing: loading reports them).
func inputBytes(o config.Options) int64 {
	var n int64
	for _, p := range []string{o.ConfigPath, o.PluginConfigPath} {
		if info, err := os.Stat(p); err == nil && p != "" {
			n += info.Size()
		}
	}
	if o.JobConfigPath == "" {
		return n
	}
	_ = filepath.WalkDir(o.JobConfigPath, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if ext := filepath.Ext(p); ext == ".yaml" || ext == ".yml" {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
