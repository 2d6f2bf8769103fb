package entrypoint

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs/podutils/marker"
	"github.com/prowbot/prow/jobs/podutils/options"
)

func TestEntrypointCodes(t *testing.T) {
	for _, tc := range []struct {
		name       string
		opts       options.Entrypoint
		res        outcome
		markErr    error
		mark, exit int
	}{
		{name: "a passing command", res: outcome{code: 0}, mark: 0, exit: 0},
		{name: "a failing command", res: outcome{code: 3}, mark: 3, exit: 3},
		{name: "a command killed by a signal", res: outcome{code: 137}, mark: 137, exit: 137},
		{name: "a command that could not start", res: outcome{code: 127, notStarted: true}, mark: 127, exit: 127},
		{name: "a skipped command", res: outcome{code: marker.PreviousErrorCode, notStarted: true}, mark: 1130, exit: 1130},
		{name: "a timed out command", res: outcome{code: 130, timedOut: true}, mark: 127, exit: 127},
		{name: "an interrupted command", res: outcome{code: 0, aborted: true}, mark: 130, exit: 130},
		{name: "a timed out command propagating its code", opts: options.Entrypoint{PropagateErrorCode: true}, res: outcome{code: 2, timedOut: true}, mark: 2, exit: 2},
		{name: "an interrupted command propagating its code", opts: options.Entrypoint{PropagateErrorCode: true}, res: outcome{code: 143, aborted: true}, mark: 143, exit: 143},
		{name: "always zero", opts: options.Entrypoint{AlwaysZero: true}, res: outcome{code: 5}, mark: 5, exit: 0},
		{name: "a marker that cannot be written", opts: options.Entrypoint{AlwaysZero: true}, res: outcome{code: 0}, markErr: errors.New("disk full"), mark: 0, exit: 127},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mark := markerCode(tc.opts, tc.res)
			if mark != tc.mark {
				t.Errorf("marker %d, want %d", mark, tc.mark)
			}
			if exit := exitCode(tc.opts, mark, tc.markErr); exit != tc.exit {
				t.Errorf("exit %d, want %d", exit, tc.exit)
			}
		})
	}
}

func TestEntrypointTimeoutsDefaultToProws(t *testing.T) {
	timeout, grace := timeouts(options.Entrypoint{})
	if timeout != 2*time.Hour || grace != 15*time.Second {
		t.Errorf("defaults %s, %s", timeout, grace)
	}
	timeout, grace = timeouts(options.Entrypoint{Timeout: time.Minute, GracePeriod: time.Second})
	if timeout != time.Minute || grace != time.Second {
		t.Errorf("set %s, %s", timeout, grace)
	}
}

// safeBuffer is a bytes.Buffer safe for the command's concurrent output.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestEntrypointRun(t *testing.T) {
	for _, tc := range []struct {
		name      string
		script    string
		args      []string
		configure func(o *options.Entrypoint, dir string)
		interrupt bool
		wantCode  int
		wantLog   []string
		maxTime   time.Duration
	}{
		{
			name:     "the output goes to the log and to standard output",
			script:   `echo hello; echo oops >&2`,
			wantCode: 0, wantLog: []string{"hello\n", "oops\n"},
		},
		{name: "a failing command's code is marked", script: "exit 3", wantCode: 3},
		{
			name: "a command that does not exist is marked 127", args: []string{"/no/such/command"},
			wantCode: 127, wantLog: []string{"could not start the process"},
		},
		{
			name:   "a command past its timeout is interrupted and marked 127",
			script: `echo started; sleep 30`,
			configure: func(o *options.Entrypoint, _ string) {
				o.Timeout, o.GracePeriod = 300*time.Millisecond, 10*time.Second
			},
			wantCode: 127, wantLog: []string{"started", "did not finish before the 300ms timeout"}, maxTime: 10 * time.Second,
		},
		{
			name:   "a command ignoring the interruption is killed after the grace period",
			script: `trap "" INT TERM; echo started; sleep 30`,
			configure: func(o *options.Entrypoint, _ string) {
				o.Timeout, o.GracePeriod = 300*time.Millisecond, 300*time.Millisecond
			},
			wantCode: 127, wantLog: []string{"timeout", "did not exit within the 300ms grace period: killing it"}, maxTime: 20 * time.Second,
		},
		{
			name: "a timed out command's own code is marked when propagated", script: `trap "exit 4" INT; sleep 30 & wait`,
			configure: func(o *options.Entrypoint, _ string) {
				o.Timeout, o.PropagateErrorCode = 300*time.Millisecond, true
			},
			wantCode: 4, maxTime: 10 * time.Second,
		},
		{
			name: "a signal to entrypoint interrupts the command and marks 130", script: `sleep 30`, interrupt: true,
			wantCode: 130, wantLog: []string{"received terminated"}, maxTime: 10 * time.Second,
		},
		{
			name: "a command after a failed step does not run", script: `echo ran`,
			configure: func(o *options.Entrypoint, dir string) {
				o.PreviousMarker = filepath.Join(dir, "previous")
				if err := marker.Write(o.PreviousMarker, 1); err != nil {
					panic(err)
				}
			},
			wantCode: 1130, wantLog: []string{"previous step exited 1"},
		},
		{
			name: "a command after a passed step runs", script: `echo ran`,
			configure: func(o *options.Entrypoint, dir string) {
				o.PreviousMarker = filepath.Join(dir, "previous")
				if err := marker.Write(o.PreviousMarker, 0); err != nil {
					panic(err)
				}
			},
			wantCode: 0, wantLog: []string{"ran"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			o := options.Entrypoint{
				ArtifactDir: filepath.Join(dir, "artifacts"),
				Wrapper: options.Wrapper{
					Args:       tc.args,
					ProcessLog: filepath.Join(dir, "process-log.txt"),
					MarkerFile: filepath.Join(dir, "marker-file.txt"),
				},
			}
			if o.Args == nil {
				o.Args = []string{"sh", "-c", tc.script}
			}
			if tc.configure != nil {
				tc.configure(&o, dir)
			}
			if err := o.Validate(); err != nil {
				t.Fatal(err)
			}
			var stdout safeBuffer
			sig := make(chan os.Signal, 1)
			if tc.interrupt {
				sig <- syscall.SIGTERM
			}
			start := time.Now()
			code := Run(t.Context(), o, Deps{Stdout: &stdout, Interrupt: sig})
			if took := time.Since(start); tc.maxTime > 0 && took > tc.maxTime {
				t.Errorf("took %s", took)
			}
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d", code, tc.wantCode)
			}
			if mark, err := marker.Read(o.MarkerFile); err != nil || mark != tc.wantCode {
				t.Errorf("marker %d, %v; want %d", mark, err, tc.wantCode)
			}
			log, err := os.ReadFile(o.ProcessLog)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.wantLog {
				if !strings.Contains(string(log), want) {
					t.Errorf("the log does not mention %q:\n%s", want, log)
				}
			}
			if stdout.String() != string(log) {
				t.Errorf("standard output %q differs from the log %q", stdout.String(), log)
			}
			if _, err := os.Stat(o.ArtifactDir); err != nil {
				t.Errorf("the artifacts directory was not made: %v", err)
			}
		})
	}
}

func TestEntrypointMarksEvenWhenTheLogCannotBeCreated(t *testing.T) {
	dir := t.TempDir()
	o := options.Entrypoint{Wrapper: options.Wrapper{
		Args: []string{"true"}, ProcessLog: filepath.Join(dir, "missing", "log.txt"), MarkerFile: filepath.Join(dir, "marker"),
	}}
	if code := Run(t.Context(), o, Deps{}); code != 127 {
		t.Errorf("exit code %d", code)
	}
	if mark, err := marker.Read(o.MarkerFile); err != nil || mark != 127 {
		t.Errorf("marker %d, %v", mark, err)
	}
}

func TestEntrypointCopy(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if err := os.WriteFile(src, []byte("#!/bin/sh\necho copied\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "tools", "entrypoint")
	for range 2 { // the second copy replaces the first
		if err := Copy(src, dst); err != nil {
			t.Fatal(err)
		}
	}
	info, err := os.Stat(dst)
	if err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("copy %v, %v", info, err)
	}
	if err := Copy(filepath.Join(dir, "missing"), dst); err == nil {
		t.Error("copying a missing binary should fail")
	}
}
