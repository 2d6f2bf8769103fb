package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/statusreconciler"
)

// TestServeReconcilesStatusesWhenTheJobConfigChanges changes config.yaml
// under a running `prow serve`: the presubmit the change adds starts on
// the open pull request, and the failed context of the presubmit it
// removes is retired.
func TestServeReconcilesStatusesWhenTheJobConfigChanges(t *testing.T) {
	bin := buildProw(t)
	w := newServeWorld(t, "", map[string]string{
		"pull-keep": `echo keep >> "$RUNS_LOG"`,
		"pull-old":  `echo old >> "$RUNS_LOG"; exit 1`,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Following job configuration changes", w.args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()

	_, sha := w.openPull()
	eventually(t, time.Minute, "the first presubmits' statuses", func() bool {
		l := latest(w.statuses(sha))
		return l["pull-keep"].State == "success" && l["pull-old"].State == "failure"
	})

	path := filepath.Join(w.dir, "config.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	next := strings.ReplaceAll(strings.ReplaceAll(string(data), "pull-old", "pull-new"), "echo old >> \\\"$RUNS_LOG\\\"; exit 1", "echo new >> \\\"$RUNS_LOG\\\"")
	if !strings.Contains(next, "echo new") {
		t.Fatalf("the job script was not replaced in:\n%s", next)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(next), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}

	eventually(t, 2*time.Minute, "pull-new to run and pull-old to be retired", func() bool {
		l := latest(w.statuses(sha))
		return l["pull-new"].State == "success" && l["pull-old"].State == "success"
	})
	l := latest(w.statuses(sha))
	if got := l["pull-old"].Description; got != statusreconciler.RetiredDescription {
		t.Errorf("pull-old says %q, want %q", got, statusreconciler.RetiredDescription)
	}
	if runs := strings.Join(w.runs(), " "); strings.Count(runs, "keep") != 1 || strings.Count(runs, "new") != 1 {
		t.Errorf("runs %q: want pull-keep once (not rerun) and pull-new once", runs)
	}
}
