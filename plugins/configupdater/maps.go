package configupdater

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
)

// Value is a file's content to store under a key.
type Value struct {
	Content []byte
	// GZIP asks for the content gzipped (in binaryData), where the
	// store has ConfigMaps.
	GZIP bool
}

// Change is what happens to one ConfigMap: keys set and keys deleted.
type Change struct {
	Set    map[string]Value
	Delete []string
}

// Maps is where the ConfigMaps live.
type Maps interface {
	// Apply makes the change to the ConfigMap id, creating it when
	// missing; namespace is id's, or the default one when id has none.
	// Applying the same change twice is the same as once.
	Apply(ctx context.Context, id MapID, namespace string, c Change) error
}

// FileMaps is the embedded mode's Maps: there are no ConfigMaps, and a
// key is written to the file of that name the process reads.
type FileMaps struct {
	// ConfigPath and PluginConfigPath are the config.yaml and
	// plugins.yaml files; a key named like one of them goes there.
	ConfigPath, PluginConfigPath string
	// JobConfigDir takes every other key as a file name ("" refuses
	// them).
	JobConfigDir string
}

// Apply writes the keys' files (each replaced whole, so a reload never
// reads half a file) and removes the deleted keys' files from the job
// config directory. Gzip is ignored: files have no size limit.
func (f FileMaps) Apply(_ context.Context, id MapID, _ string, c Change) error {
	for _, key := range mapkeys.Sorted(c.Set) {
		target, err := f.path(key)
		if err != nil {
			return fmt.Errorf("update %s: %w", id.Name, err)
		}
		if err := writeFile(target, c.Set[key].Content); err != nil {
			return fmt.Errorf("update %s: %w", id.Name, err)
		}
	}
	for _, key := range c.Delete {
		target, err := f.path(key)
		if err != nil {
			return fmt.Errorf("update %s: %w", id.Name, err)
		}
		if target == f.ConfigPath || target == f.PluginConfigPath {
			return fmt.Errorf("update %s: key %s would delete %s, which the bot cannot run without", id.Name, key, target)
		}
		if err := os.Remove(target); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("update %s: %w", id.Name, err)
		}
	}
	return nil
}

// path is the file key goes to.
func (f FileMaps) path(key string) (string, error) {
	switch {
	case key == "" || key == "." || key == ".." || strings.ContainsAny(key, `/\`) || strings.HasPrefix(key, ".."):
		return "", fmt.Errorf("key %q is no file name", key)
	case f.ConfigPath != "" && key == filepath.Base(f.ConfigPath):
		return f.ConfigPath, nil
	case f.PluginConfigPath != "" && key == filepath.Base(f.PluginConfigPath):
		return f.PluginConfigPath, nil
	case f.JobConfigDir != "":
		return filepath.Join(f.JobConfigDir, key), nil
	}
	return "", fmt.Errorf("key %s names no file prow serve reads (its config file, plugin config file, or a file in its job config directory)", key)
}

// writeFile replaces path with content through a temporary file and a
// rename.
func writeFile(path string, content []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
