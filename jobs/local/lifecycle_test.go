package local

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/wait"
)

func TestHundredMegabytesOfOutputInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200 MB")
	}
	e := newTestEnv(t)
	const size = 100_000_000
	pj := e.periodic("run1", "sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' a")
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // samples the heap while the job runs and uploads
		defer close(sampled)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	st := e.run(pj)
	close(stop)
	<-sampled
	if st.Phase != jobs.RunSucceeded {
		t.Fatalf("status %+v", st)
	}
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := e.bucket.Attributes(context.Background(), path.Join(a.Dir, storage.BuildLogFile))
	if err != nil || attrs.Size != size {
		t.Fatalf("uploaded build log: %d bytes, %v; want %d", attrs.Size, err, size)
	}
	growth := int64(peak.Load()) - int64(before.HeapInuse)
	t.Logf("heap in use grew by at most %d KB", growth>>10)
	if growth > 50<<20 {
		t.Errorf("the heap grew by %d MB while running and uploading", growth>>20)
	}
}

func TestStopAbortsTheRun(t *testing.T) {
	e := newTestEnv(t)
	pj := e.periodic("run1", "sh", "-c", "trap '' INT; echo started; sleep 100")
	ctx := context.Background()
	if err := e.r.Start(ctx, pj); err != nil {
		t.Fatal(err)
	}
	s := e.waitRunning(e.r, pj)
	for i := 0; i < 2; i++ { // a second Stop is no error
		if err := e.r.Stop(ctx, pj); err != nil {
			t.Fatal(err)
		}
	}
	st, err := e.r.Status(ctx, pj)
	if err != nil || st.Phase != jobs.RunFailed || st.Message != "Job was aborted." {
		t.Errorf("status %+v, %v", st, err)
	}
	if f := e.finished(pj); f.Result != "ABORTED" || f.Passed == nil || *f.Passed {
		t.Errorf("finished.json = %+v", f)
	}
	waitGone(t, s.PID)
	if err := e.r.Stop(ctx, e.periodic("never-started", "true")); err != nil {
		t.Errorf("stopping a job that never ran: %v", err)
	}
}

func TestANewRunnerReadsTheRunsOnDisk(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	done := e.periodic("run1", "sh", "-c", "echo done")
	if st := e.run(done); st.Phase != jobs.RunSucceeded {
		t.Fatalf("status %+v", st)
	}
	// The uploads of the finished run were cut short by a restart: the
	// runner is gone (its saves with it) before the files are changed.
	if err := e.r.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := jobs.ArtifactsOf(done)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.bucket.Delete(ctx, path.Join(a.Dir, storage.FinishedFile)); err != nil {
		t.Fatal(err)
	}
	s, err := readState(e.r.runDir(done.Name))
	if err != nil {
		t.Fatal(err)
	}
	s.Uploaded = false
	if err := writeState(e.r.runDir(done.Name), s); err != nil {
		t.Fatal(err)
	}
	// A run whose process went away before it recorded an end.
	cut := e.periodic("run2", "sh", "-c", "echo cut")
	if err := mkdirAll(e.r.runDir(cut.Name)); err != nil {
		t.Fatal(err)
	}
	if err := writeState(e.r.runDir(cut.Name), state{Job: cut.Spec.Job, BuildID: cut.Status.BuildID, ProwJob: cut, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}

	r := e.newRunner()
	for _, tc := range []struct {
		name    string
		job     string
		phase   jobs.RunPhase
		message string
	}{
		{"a finished run reports its outcome", done.Name, jobs.RunSucceeded, ""},
		{"a run that never recorded an end was interrupted", cut.Name, jobs.RunError, "The run was interrupted by a restart of the process running it."},
		{"a job without a run directory has no run", "run3", jobs.RunUnknown, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pj := e.periodic(tc.job, "true")
			st, err := r.Status(ctx, pj)
			if err != nil || st.Phase != tc.phase || st.Message != tc.message {
				t.Errorf("status %+v, %v; want %s %q", st, err, tc.phase, tc.message)
			}
		})
	}
	if f := e.finished(done); f.Result != "SUCCESS" {
		t.Errorf("the status did not finish the uploads: finished.json = %+v", f)
	}
}

func TestCloseEndsRunsThatTheNextRunnerReportsInterrupted(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	pj := e.periodic("run1", "sh", "-c", "sleep 100 & wait")
	if err := e.r.Start(ctx, pj); err != nil {
		t.Fatal(err)
	}
	s := e.waitRunning(e.r, pj)
	if err := e.r.Close(); err != nil {
		t.Fatal(err)
	}
	waitGone(t, s.PID)
	st, err := e.newRunner().Status(ctx, pj)
	if err != nil || st.Phase != jobs.RunError || !strings.Contains(st.Message, "interrupted") {
		t.Errorf("status %+v, %v", st, err)
	}
	if err := e.r.Start(ctx, e.periodic("run2", "true")); err == nil {
		t.Error("a closed runner started a job")
	}
}

func TestLiveLog(t *testing.T) {
	e := newTestEnv(t)
	pj := e.periodic("run1", "sh", "-c", "echo live")
	if got := e.r.LogPath(pj); got != filepath.Join(e.workDir, "run1", "build-log.txt") {
		t.Errorf("LogPath = %s", got)
	}
	e.run(pj)
	rc, err := e.r.OpenLog(pj)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	buf := make([]byte, 16)
	n, _ := rc.Read(buf)
	if string(buf[:n]) != "live\n" {
		t.Errorf("log = %q", buf[:n])
	}
}

// waitGone waits for a process group to be gone: killed processes stay
// until their new parent reaps them.
func waitGone(t *testing.T, pgid int) {
	t.Helper()
	wait.For(t, 10*time.Second, fmt.Sprintf("process group %d to be gone", pgid), func() bool {
		return errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
	})
}
