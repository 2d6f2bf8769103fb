package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/statusreconciler"
)

// TestClusterStatusReconcilerFollowsTheJobConfig runs `prow
// status-reconciler` against a real API server and the sandbox: when the
// job config replaces presubmit old by new, an open pull request gets a
// ProwJob of new and old's failed context is retired.
func TestClusterStatusReconcilerFollowsTheJobConfig(t *testing.T) {
	bin := buildProw(t)
	env := startKubeenv(t)
	w := newServeWorld(t, "", nil)
	cfg := filepath.Join(w.dir, "reconciler-config.yaml")
	jobs := func(name string) string {
		return clusterNamespaces +
			"presubmits:\n  demo/hello:\n  - name: " + name + "\n    always_run: true\n    spec:\n      containers:\n      - image: alpine:3\n        command: [\"true\"]\n"
	}
	write := func(text string) {
		if err := os.WriteFile(cfg+".tmp", []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(cfg+".tmp", cfg); err != nil {
			t.Fatal(err)
		}
	}
	write(jobs("old"))
	n, sha := w.openPull()
	w.do("member-token", http.MethodPost, "/repos/demo/hello/statuses/"+sha, map[string]string{"context": "old", "state": "failure",
		"description": "Job failed."}, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Following job configuration changes", "status-reconciler", "--config-path", cfg,
		"--kubeconfig", env.Kubeconfig, "--leader-elect=false", "--metrics-port", "0", "--health-port", fmt.Sprint(freePort(t)),
		"--github-endpoint", w.gh.URL, "--github-token-path", filepath.Join(w.dir, "token"))
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	write(jobs("new"))
	store := openJobs(t, env)
	eventually(t, time.Minute, "a ProwJob of new for the pull request", func() bool {
		for _, pj := range allJobs(t, store) {
			if pj.Spec.Job == "new" && pj.Spec.Type == prowapi.PresubmitJob && pj.Spec.Refs != nil && len(pj.Spec.Refs.Pulls) == 1 &&
				pj.Spec.Refs.Pulls[0].Number == n && pj.Spec.Refs.Pulls[0].SHA == sha {
				return true
			}
		}
		return false
	})
	eventually(t, 30*time.Second, "old retired", func() bool {
		s := latest(w.statuses(sha))["old"]
		return s.State == "success" && s.Description == statusreconciler.RetiredDescription
	})
}
