package configupdater_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/configupdater"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/harness"
	"github.com/prowbot/prow/test/kubeenv"
)

const pluginsYAML = `plugins:
  demo/hello:
    plugins: [config-updater]
config_updater:
  maps:
    prow/config.yaml:
      name: config
    prow/plugins.yaml:
      name: plugins
    prow/jobs/**/*.yaml:
      name: job-config
      gzip: true
`

// mergeChange opens a pull request from branch with files (nil content
// removes a file) and merges it as alice.
func mergeChange(t *testing.T, env *harness.Env, branch string, files map[string]any) int {
	t.Helper()
	env.Do("", http.MethodPost, "/_sandbox/repos/demo/hello/push", map[string]any{"branch": branch, "author": "bob", "files": files}, nil)
	var pr struct {
		Number int `json:"number"`
	}
	env.Do("bob", http.MethodPost, "/repos/demo/hello/pulls", map[string]string{"title": "Change " + branch, "head": branch, "base": "main", "body": "Config change."}, &pr)
	env.Settle()
	env.Do("alice", http.MethodPut, fmt.Sprintf("/repos/demo/hello/pulls/%d/merge", pr.Number), map[string]string{"merge_method": "merge"}, nil)
	env.Settle()
	return pr.Number
}

func botComments(env *harness.Env, n int) []string {
	return env.BotComments("demo", "hello", n)
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// In the cluster mode a merge updates real ConfigMaps on an API server.
func TestConfigUpdaterUpdatesConfigMapsOnMerge(t *testing.T) {
	kube := kubeenv.Start(t)
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice").Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{configupdater.New(c, configupdater.NewKubeMaps(map[string]kubernetes.Interface{"default": kube.Client}))}
	})
	ctx := context.Background()
	cms := kube.Client.CoreV1().ConfigMaps("default")

	n := mergeChange(t, env, "first", map[string]any{"prow/config.yaml": "pod_namespace: test-pods\n", "prow/jobs/a/a.yaml": "presubmits: {}\n", "README.md": "hi\n"})
	cfg, err := cms.Get(ctx, "config", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Data["config.yaml"]; got != "pod_namespace: test-pods\n" {
		t.Errorf("config.yaml in the config ConfigMap: %q", got)
	}
	jobs, err := cms.Get(ctx, "job-config", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := gunzip(t, jobs.BinaryData["a.yaml"]); got != "presubmits: {}\n" {
		t.Errorf("a.yaml in job-config: %q", got)
	}
	cs := botComments(env, n)
	if len(cs) != 1 || !strings.Contains(cs[0], "@bob: Updated the following 2 configmaps:\n") ||
		!strings.Contains(cs[0], "  * `config` configmap at cluster `default` using the following files:\n    - key `config.yaml` using file `prow/config.yaml`\n") ||
		!strings.Contains(cs[0], "  * `job-config` configmap at cluster `default` using the following files:\n    - key `a.yaml` using file `prow/jobs/a/a.yaml`\n") {
		t.Fatalf("the bot's comments: %q", cs)
	}

	// Moving a job file to another directory keeps its key; removing one
	// deletes it.
	mergeChange(t, env, "second", map[string]any{"prow/jobs/a/b.yaml": "periodics: []\n"})
	n = mergeChange(t, env, "third", map[string]any{"prow/jobs/a/a.yaml": nil, "prow/jobs/a/b.yaml": "periodics: [] # kept\n"})
	jobs, err = cms.Get(ctx, "job-config", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := jobs.BinaryData["a.yaml"]; ok {
		t.Error("a.yaml is still in job-config")
	}
	if got := gunzip(t, jobs.BinaryData["b.yaml"]); got != "periodics: [] # kept\n" {
		t.Errorf("b.yaml in job-config: %q", got)
	}
	if cs := botComments(env, n); len(cs) != 1 || !strings.HasPrefix(cs[0], "@bob: Updated the `job-config` configmap at cluster `default` using the following files:\n") ||
		!strings.Contains(cs[0], "- key `a.yaml` deleted") {
		t.Fatalf("the bot's comments: %q", cs)
	}

	// A pull request merged into another branch, or one closed unmerged,
	// updates nothing.
	n = env.OpenPull("bob", "demo", "hello", "fourth", "main", "Unmerged", map[string]string{"prow/config.yaml": "nope\n"})
	env.Do("bob", http.MethodPatch, fmt.Sprintf("/repos/demo/hello/pulls/%d", n), map[string]string{"state": "closed"}, nil)
	env.Settle()
	if cfg, _ := cms.Get(ctx, "config", metav1.GetOptions{}); cfg.Data["config.yaml"] != "pod_namespace: test-pods\n" {
		t.Errorf("an unmerged pull request changed config.yaml to %q", cfg.Data["config.yaml"])
	}
	if cs := botComments(env, n); len(cs) != 0 {
		t.Errorf("comments on an unmerged pull request: %q", cs)
	}
}

// In the embedded mode a merge rewrites the files prow serve reads.
func TestConfigUpdaterWritesServesFilesOnMerge(t *testing.T) {
	dir := t.TempDir()
	maps := configupdater.FileMaps{ConfigPath: filepath.Join(dir, "config.yaml"), PluginConfigPath: filepath.Join(dir, "plugins.yaml"), JobConfigDir: filepath.Join(dir, "jobs")}
	for _, p := range []string{maps.ConfigPath, maps.PluginConfigPath, filepath.Join(maps.JobConfigDir, "old.yaml")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("old\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seed := harness.NewSeed("alice", "bob").Collaborators("write", "alice").Files(sandbox.FileChanges{"prow/jobs/old.yaml": "old\n"}).Seed()
	env := harness.Start(t, seed, pluginsYAML, func(c *github.Client) []plugins.Plugin {
		return []plugins.Plugin{configupdater.New(c, maps)}
	})
	n := mergeChange(t, env, "change", map[string]any{"prow/plugins.yaml": "plugins: {}\n", "prow/jobs/new.yaml": "periodics: []\n", "prow/jobs/old.yaml": nil})
	for path, want := range map[string]string{maps.PluginConfigPath: "plugins: {}\n", maps.ConfigPath: "old\n", filepath.Join(maps.JobConfigDir, "new.yaml"): "periodics: []\n"} {
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s: %q (%v), want %q", path, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(maps.JobConfigDir, "old.yaml")); !os.IsNotExist(err) {
		t.Errorf("the removed job file is still there: %v", err)
	}
	if cs := botComments(env, n); len(cs) != 1 || !strings.Contains(cs[0], "Updated the following 2 configmaps") {
		t.Fatalf("the bot's comments: %q", cs)
	}
}
