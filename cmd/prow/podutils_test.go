package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/decorate"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/harness"
)

const podutilBucket = "prow-logs"

// podutilRepo is a bare repository with one commit on main.
func podutilRepo(t *testing.T) (bare, sha string) {
	t.Helper()
	bare, _, sha = harness.BareRepo(t, "repo.git")
	return bare, sha
}

// fakePod runs the containers of a decorated pod as processes of the
// prow binary, its volumes directories of a temporary root.
type fakePod struct {
	t      *testing.T
	bin    string
	root   string
	env    []string
	output bytes.Buffer
	mu     sync.Mutex
}

// localize moves the pod's mount paths below the pod's root, in plain
// values and in JSON strings.
func (p *fakePod) localize(s string) string {
	for _, m := range []string{decorate.LogsMountPath, decorate.ToolsMountPath, decorate.CodeMountPath} {
		local := filepath.Join(p.root, filepath.Base(m))
		if strings.HasPrefix(s, m) {
			s = local + strings.TrimPrefix(s, m)
		}
		s = strings.ReplaceAll(s, `"`+m, `"`+local)
	}
	return s
}

// command is the process of a container.
func (p *fakePod) command(ctx context.Context, c corev1.Container) *exec.Cmd {
	args := append([]string{}, c.Args...)
	name := p.bin
	if len(c.Command) > 0 {
		name = p.localize(c.Command[0])
	}
	if c.Name == "place-entrypoint" {
		args = append(args, "--copy-destination", p.localize(decorate.EntrypointPath))
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append([]string{}, p.env...)
	for _, e := range c.Env {
		cmd.Env = append(cmd.Env, e.Name+"="+p.localize(e.Value))
	}
	cmd.Dir = p.root
	if c.WorkingDir != "" {
		cmd.Dir = p.localize(c.WorkingDir)
	}
	w := &lockedOutput{p: p, name: c.Name}
	cmd.Stdout, cmd.Stderr = w, w
	return cmd
}

type lockedOutput struct {
	p    *fakePod
	name string
}

func (l *lockedOutput) Write(b []byte) (int, error) {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line != "" {
			fmt.Fprintf(&l.p.output, "[%s] %s", l.name, line)
		}
	}
	return len(b), nil
}

// podRun is how a fake pod ended.
type podRun struct {
	// failedInit is the init container that failed, if one did.
	failedInit string
	// exit holds the exit code of each container that ran.
	exit map[string]int
	took time.Duration
}

func exitCodeOf(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// run runs the init containers in order, stopping at the first that
// fails, then the containers together, as the kubelet would.
func (p *fakePod) run(ctx context.Context, pod *corev1.Pod) podRun {
	start := time.Now()
	res := podRun{exit: map[string]int{}}
	for _, c := range pod.Spec.InitContainers {
		code := exitCodeOf(p.command(ctx, c).Run())
		res.exit[c.Name] = code
		if code != 0 {
			res.failedInit = c.Name
			res.took = time.Since(start)
			return res
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, c := range pod.Spec.Containers {
		cmd := p.command(ctx, c)
		wg.Go(func() {
			code := exitCodeOf(cmd.Run())
			mu.Lock()
			res.exit[c.Name] = code
			mu.Unlock()
		})
	}
	wg.Wait()
	res.took = time.Since(start)
	return res
}

// TestPodutilsRunADecoratedPod decorates a job's pod and runs its
// containers as processes of the prow binary (clonerefs, initupload,
// place-entrypoint, then the test under entrypoint beside sidecar)
// against fake-gcs-server, and checks Prow's artifact layout.
func TestPodutilsRunADecoratedPod(t *testing.T) {
	bin := buildProw(t)
	gcs, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Port: 0, Writer: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gcs.Stop)
	gcs.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: podutilBucket})
	bare, sha := podutilRepo(t)

	const tests = `echo hello; mkdir -p "$ARTIFACTS"; echo x > "$ARTIFACTS/junit.xml"; test -f README.md`
	for i, tc := range []struct {
		name           string
		script         string
		baseRef        string
		timeout, grace time.Duration
		check          func(t *testing.T, obj func(string) string, res podRun)
	}{
		{
			name: "a passing test leaves Prow's layout", script: tests, baseRef: "main",
			check: func(t *testing.T, obj func(string) string, res podRun) {
				if res.failedInit != "" || res.exit["test"] != 0 || res.exit["sidecar"] != 0 {
					t.Fatalf("the pod ended %+v", res)
				}
				var started storage.Started
				podutilJSON(t, obj("started.json"), &started)
				if started.RepoCommit != sha || started.Repos["org/repo"] != "main:"+sha {
					t.Errorf("started.json %+v", started)
				}
				var records []clone.Record
				podutilJSON(t, obj("clone-records.json"), &records)
				if len(records) != 1 || records[0].Failed || records[0].FinalSHA != sha {
					t.Errorf("clone records %+v", records)
				}
				if log := obj("build-log.txt"); !strings.Contains(log, "hello") {
					t.Errorf("build log %q", log)
				}
				if obj("artifacts/junit.xml") != "x\n" {
					t.Error("no artifacts/junit.xml")
				}
				var finished storage.Finished
				podutilJSON(t, obj("finished.json"), &finished)
				if finished.Passed == nil || !*finished.Passed || finished.Result != "SUCCESS" || finished.Revision != sha {
					t.Errorf("finished.json %+v", finished)
				}
			},
		},
		{
			name:   "a test past its timeout that ignores signals is killed after the grace period",
			script: `trap "" INT TERM; echo started; sleep 60`, baseRef: "main",
			timeout: time.Second, grace: time.Second,
			check: func(t *testing.T, obj func(string) string, res podRun) {
				if res.exit["test"] != 127 || res.took > 40*time.Second {
					t.Errorf("the pod ended %+v", res)
				}
				log := obj("build-log.txt")
				for _, want := range []string{"started", "did not finish before the 1s timeout", "did not exit within the 1s grace period"} {
					if !strings.Contains(log, want) {
						t.Errorf("the build log does not mention %q:\n%s", want, log)
					}
				}
				var finished storage.Finished
				podutilJSON(t, obj("finished.json"), &finished)
				if finished.Passed == nil || *finished.Passed || finished.Result != "FAILURE" {
					t.Errorf("finished.json %+v", finished)
				}
			},
		},
		{
			name: "a failed clone fails the pod before the test runs", script: `touch "$ARTIFACTS/../ran"`, baseRef: "no-such-branch",
			check: func(t *testing.T, obj func(string) string, res podRun) {
				if res.failedInit != "initupload" || res.exit["clonerefs"] != 0 {
					t.Fatalf("the pod ended %+v", res)
				}
				var finished storage.Finished
				podutilJSON(t, obj("finished.json"), &finished)
				if finished.Passed == nil || *finished.Passed || finished.Result != "FAILURE" {
					t.Errorf("finished.json %+v", finished)
				}
				if log := obj("build-log.txt"); !strings.Contains(log, "# FAILED!") || !strings.Contains(log, "no-such-branch") {
					t.Errorf("build log %q", log)
				}
				if obj("started.json") == "" || obj("clone-log.txt") == "" {
					t.Error("started.json or clone-log.txt missing")
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buildID := fmt.Sprint(100 + i)
			pj := podutilJob(bare, tc.baseRef, tc.script, buildID, tc.timeout, tc.grace)
			if tc.baseRef == "main" {
				pj.Spec.Refs.BaseSHA = sha
			}
			pod, err := decorate.ProwJobToPod(pj, decorate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			p := &fakePod{t: t, bin: bin, root: t.TempDir(),
				env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "STORAGE_EMULATOR_HOST=" + gcs.URL()}}
			for _, m := range []string{decorate.LogsMountPath, decorate.ToolsMountPath, decorate.CodeMountPath} {
				if err := os.MkdirAll(p.localize(m), 0o755); err != nil { // the emptyDir volumes
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			res := p.run(ctx, pod)
			defer func() {
				if t.Failed() {
					t.Logf("the pod's output:\n%s", p.output.String())
				}
			}()
			obj := func(name string) string {
				o, err := gcs.GetObject(podutilBucket, "logs/post-unit/"+buildID+"/"+name)
				if err != nil {
					return ""
				}
				return string(o.Content)
			}
			tc.check(t, obj, res)
			if latest, err := gcs.GetObject(podutilBucket, "logs/post-unit/latest-build.txt"); err != nil || string(latest.Content) != buildID {
				t.Errorf("latest-build.txt: %v", err)
			}
		})
	}
}

// podutilJob is a decorated postsubmit of org/repo at baseRef, cloned
// from bare, running script.
func podutilJob(bare, baseRef, script, buildID string, timeout, grace time.Duration) *prowapi.ProwJob {
	dc := &prowapi.DecorationConfig{
		UtilityImages:    &prowapi.UtilityImages{CloneRefs: "prow", InitUpload: "prow", Entrypoint: "prow", Sidecar: "prow"},
		GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "gs://" + podutilBucket, PathStrategy: prowapi.PathStrategyExplicit},
	}
	if timeout > 0 {
		dc.Timeout, dc.GracePeriod = prowapi.NewDuration(timeout), prowapi.NewDuration(grace)
	}
	pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{
		Type: prowapi.PostsubmitJob, Job: "post-unit",
		Refs:             &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: baseRef, CloneURI: bare},
		DecorationConfig: dc,
		PodSpec:          &corev1.PodSpec{Containers: []corev1.Container{{Image: "alpine", Command: []string{"sh", "-c", script}}}},
	}}
	pj.Name = "pj-" + buildID
	pj.Status.BuildID = buildID
	return pj
}

func podutilJSON(t *testing.T, data string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(data), v); err != nil {
		t.Fatalf("decode %q: %v", data, err)
	}
}
