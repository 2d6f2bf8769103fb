package local

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/container"
	"github.com/prowbot/prow/jobs/container/containertest"
	"github.com/prowbot/prow/jobs/contract"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// containerEnv is a runner whose jobs run in the busybox test image,
// beside a directory standing for the bot's data dir.
type containerEnv struct {
	opts    container.Options
	image   string
	workDir string
	bucket  string
	botDir  string
}

func newContainerEnv(t *testing.T) *containerEnv {
	t.Helper()
	o := containertest.Options(t)
	e := &containerEnv{opts: o, image: containertest.BusyboxImage(t, o), workDir: t.TempDir(), bucket: t.TempDir(), botDir: t.TempDir()}
	for name, content := range map[string]string{"token": "the-bot-token\n", "jobs.db": "SQLite format 3\x00"} {
		if err := os.WriteFile(filepath.Join(e.botDir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *containerEnv) runner(t *testing.T, o container.Options) *Runner {
	t.Helper()
	r := newQuietRunner(t, Options{WorkDir: e.workDir, Container: o})
	return r
}

// job is a presubmit running script with sh in image.
func (e *containerEnv) job(name, image, script string) *prowapi.ProwJob {
	pj := contractJob(name, contract.Succeed, e.botDir, e.bucket)
	c := &pj.Spec.PodSpec.Containers[0]
	c.Image, c.Command = image, []string{"sh", "-c", script}
	pj.Status.BuildID = "1" + strings.Repeat("0", 18)
	return pj
}

// runToEnd starts pj and returns its status once it is over, and its log.
func runToEnd(t *testing.T, r *Runner, pj *prowapi.ProwJob) (jobs.RunStatus, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := r.Start(ctx, pj); err != nil {
		t.Fatal(err)
	}
	if err := r.Wait(ctx, pj); err != nil {
		t.Fatal(err)
	}
	st, err := r.Status(ctx, pj)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(r.LogPath(pj))
	return st, st.Message + "\n" + string(b)
}

// TestContractOnSQLiteAndContainerRunner runs the state-machine contract
// against the embedded mode with jobs in containers. A job counts its
// starts in its artifacts directory, the only place it may write that
// outlives it.
func TestContractOnSQLiteAndContainerRunner(t *testing.T) {
	e := newContainerEnv(t)
	contract.Run(t, func(t *testing.T) *contract.Backend {
		store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "jobs.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close() })
		work := t.TempDir()
		r := newQuietRunner(t, Options{WorkDir: work, Container: e.opts})
		return &contract.Backend{
			Store:  store,
			Runner: r,
			Job: func(name string, outcome contract.Outcome) *prowapi.ProwJob {
				pj := contractJob(name, outcome, "", e.bucket)
				c := &pj.Spec.PodSpec.Containers[0]
				c.Image = e.image
				c.Command[2] = strings.Replace(c.Command[2], `"$RUNS/$PROW_JOB_ID"`, `"$ARTIFACTS/runs"`, 1)
				return pj
			},
			Runs: func(t *testing.T, pj *prowapi.ProwJob) int {
				b, err := os.ReadFile(filepath.Join(work, pj.Name, artifactsDir, "runs"))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				return strings.Count(string(b), "\n")
			},
		}
	})
}

// TestContainerJobCannotReachTheBot: a job in a container tries to read
// the bot's token and store, to see its processes, to write outside its
// work dir and, with the network off, to see a network; every attempt
// fails (each refusal in the log) while its own work dir is writable.
func TestContainerJobCannotReachTheBot(t *testing.T) {
	e := newContainerEnv(t)
	o := e.opts
	o.NoNetwork = true
	r := e.runner(t, o)
	script := strings.Join([]string{
		`fail=0`,
		`cat ` + filepath.Join(e.botDir, "token") + ` && fail=1 || echo "REFUSED token"`,
		`cat ` + filepath.Join(e.botDir, "jobs.db") + ` && fail=1 || echo "REFUSED store"`,
		`ps -o comm | grep -q -e local.test -e conmon -e podman && { ps; fail=1; } || echo "REFUSED processes"`,
		`kill -0 ` + strconv.Itoa(os.Getpid()) + ` 2>/dev/null && fail=1 || echo "REFUSED signal"`,
		`touch /outside 2>/dev/null && fail=1 || echo "REFUSED root write"`,
		`touch ` + filepath.Join(e.botDir, "planted") + ` 2>/dev/null && fail=1 || echo "REFUSED bot dir write"`,
		`touch /tmp/scratch "$ARTIFACTS/result" ./here && echo "WROTE own dirs" || fail=1`,
		`[ "$(wc -l < /proc/net/dev)" -eq 3 ] && echo "REFUSED network" || { cat /proc/net/dev; fail=1; }`,
		`[ "$HOME" = /tmp ] && [ -n "$PROW_JOB_ID" ] && echo "ENV ok" || fail=1`,
		`exit $fail`,
	}, "\n")
	st, log := runToEnd(t, r, e.job("reach-bot", e.image, script))
	if st.Phase != jobs.RunSucceeded {
		t.Fatalf("phase %s (%s), want %s; log:\n%s", st.Phase, st.Message, jobs.RunSucceeded, log)
	}
	for _, want := range []string{"REFUSED token", "REFUSED store", "REFUSED processes", "REFUSED signal", "REFUSED root write", "REFUSED bot dir write", "WROTE own dirs", "REFUSED network", "ENV ok"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if _, err := os.Stat(filepath.Join(e.botDir, "planted")); err == nil {
		t.Error("the job wrote into the bot's directory")
	}
}

func TestContainerRunOutcomes(t *testing.T) {
	e := newContainerEnv(t)
	r := e.runner(t, e.opts)
	tests := []struct {
		name, image, script string
		want                jobs.RunPhase
		inLog               string
	}{
		{"exit-zero", e.image, "echo hello from the image", jobs.RunSucceeded, "hello from the image"},
		{"exit-three", e.image, "echo failing; exit 3", jobs.RunFailed, "failing"},
		{"missing-image", "localhost/prowbot-test-absent:1", "true", jobs.RunError, "localhost/prowbot-test-absent:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, log := runToEnd(t, r, e.job(tc.name, tc.image, tc.script))
			if st.Phase != tc.want || !strings.Contains(log, tc.inLog) {
				t.Errorf("phase %s (%s), want %s with %q in the log:\n%s", st.Phase, st.Message, tc.want, tc.inLog, log)
			}
		})
	}
}

// containerExists says whether the container of job name is there.
func containerExists(t *testing.T, o container.Options, workDir, name string) bool {
	t.Helper()
	return exec.Command(o.Podman, "container", "exists", container.Name(workDir, name)).Run() == nil
}

func TestStopRemovesTheContainer(t *testing.T) {
	e := newContainerEnv(t)
	r := e.runner(t, e.opts)
	pj := e.job("hang", e.image, `touch "$ARTIFACTS/up"; sleep 600`)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := r.Start(ctx, pj); err != nil {
		t.Fatal(err)
	}
	up := filepath.Join(e.workDir, pj.Name, artifactsDir, "up")
	for tick := time.NewTicker(50 * time.Millisecond); ; <-tick.C {
		if _, err := os.Stat(up); err == nil {
			tick.Stop()
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the job never started")
		}
	}
	if err := r.Stop(ctx, pj); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.Status(ctx, pj); st.Phase != jobs.RunFailed {
		t.Errorf("phase %s after abort, want %s", st.Phase, jobs.RunFailed)
	}
	if containerExists(t, e.opts, e.workDir, pj.Name) {
		t.Error("the aborted job's container is still there")
	}
}

// TestANewRunnerRemovesLeftoverContainers: a container labeled with the
// runner's work dir, as a SIGKILLed bot leaves it, is removed when a
// runner starts on that work dir; another work dir's is left alone.
func TestANewRunnerRemovesLeftoverContainers(t *testing.T) {
	e := newContainerEnv(t)
	other := t.TempDir()
	start := func(workDir, name string) {
		argv := []string{"run", "-d", "--name", container.Name(workDir, name), "--label", container.WorkDirLabel + "=" + workDir}
		if e.opts.Runtime != "" {
			argv = append([]string{"--runtime", e.opts.Runtime}, argv...)
		}
		for _, u := range e.opts.Ulimits {
			argv = append(argv, "--ulimit", u)
		}
		if out, err := exec.Command(e.opts.Podman, append(argv, "--network", "none", e.image, "sleep", "600")...).CombinedOutput(); err != nil {
			t.Fatalf("start a leftover container: %v: %s", err, out)
		}
		t.Cleanup(func() { _ = e.opts.Remove(context.Background(), workDir, name) })
	}
	start(e.workDir, "left-behind")
	start(other, "someone-elses")
	e.runner(t, e.opts)
	if containerExists(t, e.opts, e.workDir, "left-behind") {
		t.Error("the leftover container is still there")
	}
	if !containerExists(t, e.opts, other, "someone-elses") {
		t.Error("another runner's container was removed")
	}
}
