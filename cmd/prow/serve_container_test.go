package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/container"
	"github.com/prowbot/prow/jobs/container/containertest"
)

// containerWorld is a serve world whose jobs use the busybox test image.
func containerWorld(t *testing.T, presubmits map[string]string) (*serveWorld, container.Options) {
	t.Helper()
	o := containertest.Options(t)
	image := containertest.BusyboxImage(t, o)
	w := newServeWorld(t, "", presubmits)
	cfg := w.args[slices.Index(w.args, "--config-path")+1]
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(string(b), "image: alpine", "image: "+image)), 0o600); err != nil {
		t.Fatal(err)
	}
	return w, o
}

// TestServeContainerKeepsJobsFromTheBot runs, with --runner=container, a
// presubmit that tries to read the bot's token, HMAC secret and SQLite
// store, to find and signal the bot's process and to write outside its
// directories: every attempt fails and its log says so, while a normal
// job (which sees its checkout) passes.
func TestServeContainerKeepsJobsFromTheBot(t *testing.T) {
	bin := buildProw(t)
	attempts := []escapeAttempt{
		{"read the token file", `cat "$top/token"`},
		{"read the HMAC secret", `cat "$top/hmac"`},
		{"read the SQLite store", `cat "$data/jobs.db"`},
		{"find the process of the bot", "grep -l '[-]-hmac-secret-file' /proc/[0-9]*/cmdline | grep -q ."},
		{"signal the bot", fmt.Sprintf("kill -0 %d", os.Getpid())},
		{"write to the system", "echo x > /etc/prowbot-probe"},
		{"write into the data dir", `echo x > "$data/pwned" && test -f "$data/jobs.db"`},
	}
	w, _ := containerWorld(t, map[string]string{"pull-probe": escapeProbe(attempts), "pull-ok": "test -f hello.sh && echo checkout visible"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startProw(t, ctx, bin, "Jobs run with this runner", withFlag(w.args, "--runner", "container")...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	p.await(t, "Serving")
	n, sha := w.openPull()
	checkEscapes(t, w, n, sha, attempts)
}

// TestServePicksAndLogsTheSafestRunner: without --runner, `prow serve`
// runs jobs in containers where podman works, and says so in one line.
func TestServePicksAndLogsTheSafestRunner(t *testing.T) {
	bin := buildProw(t)
	w, _ := containerWorld(t, map[string]string{"pull-ok": "true"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := slices.Clone(w.args)
	i := slices.Index(args, "--runner")
	args = slices.Delete(args, i, i+2)
	p := startProw(t, ctx, bin, "", args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	if line := p.await(t, "Jobs run with this runner"); !strings.Contains(line, `"runner":"container"`) {
		t.Errorf("the runner's line is %q, want runner=container", line)
	}
	p.await(t, "Serving")
}

// TestServeContainerLeftoversGoAfterASIGKILL kills `prow serve` with
// SIGKILL while a job's container runs: the container outlives the bot
// (podman's conmon holds it), and the next `prow serve` on the same data
// dir removes it.
func TestServeContainerLeftoversGoAfterASIGKILL(t *testing.T) {
	bin := buildProw(t)
	w, o := containerWorld(t, map[string]string{"pull-long": `echo up > "$ARTIFACTS/up"; sleep 600`})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := withFlag(w.args, "--runner", "container")
	runs := filepath.Join(w.dir, "data", "runs")
	p := startProw(t, ctx, bin, "Serving", args...)
	w.openPull()
	var ups []string
	eventually(t, time.Minute, "the job's container to run", func() bool {
		ups, _ = filepath.Glob(filepath.Join(runs, "*", "artifacts", "up"))
		return len(ups) == 1
	})
	job := filepath.Base(filepath.Dir(filepath.Dir(ups[0])))
	name := container.Name(runs, job)
	t.Cleanup(func() { _ = o.Remove(context.Background(), runs, job) })
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	if err := exec.Command(o.Podman, "container", "exists", name).Run(); err != nil {
		t.Fatalf("the job's container %s did not outlive the bot, nothing to test: %v", name, err)
	}
	p = startProw(t, ctx, bin, "Serving", args...)
	defer func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }()
	if err := exec.Command(o.Podman, "container", "exists", name).Run(); err == nil {
		t.Error("the container a killed prow serve left is still there after a restart")
	}
}
