package kubeenv

import (
	"fmt"
	"os"
	"path/filepath"
)

// The versions hack/kube-testenv/build.sh builds; the default bin directory
// is keyed by them. TestVersionsMatchBuildScript keeps the two in step.
const (
	KubeVersion = "v1.37.2"
	EtcdVersion = "v3.6.16"
	KwokVersion = "v0.8.0"
)

// BinEnvVar names the directory holding the binaries; `make test` sets it.
const BinEnvVar = "KUBE_TESTENV_BIN"

// DefaultBinDir is where hack/kube-testenv/build.sh caches the binaries when
// CACHE_DIR is not set: ${XDG_CACHE_HOME:-$HOME/.cache}/prowbot/kube/<versions>/bin.
func DefaultBinDir() string {
	cache := os.Getenv("CACHE_DIR")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return ""
			}
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "prowbot")
	}
	key := fmt.Sprintf("k8s-%s_etcd-%s_kwok-%s", KubeVersion, EtcdVersion, KwokVersion)
	return filepath.Join(cache, "kube", key, "bin")
}

// findBinDir returns $KUBE_TESTENV_BIN, else the default cache
// directory, after checking that every binary is there.
func findBinDir() (string, error) {
	dir, from := os.Getenv(BinEnvVar), "$"+BinEnvVar
	if dir == "" {
		dir, from = DefaultBinDir(), "the default cache directory"
	}
	for _, name := range []string{"etcd", "kube-apiserver", "kube-scheduler", "kwok"} {
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			return "", fmt.Errorf("no executable %s in %s (from %s): run `make kube-binaries` (`make test` does) to build the test control plane", name, dir, from)
		}
	}
	return dir, nil
}
