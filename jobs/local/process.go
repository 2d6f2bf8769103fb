package local

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/prow/storage"
)

// notStartedCode is the exit code recorded when the command could not
// start (Prow's entrypoint's internal error code, a shell's "command not
// found").
const notStartedCode = 127

// procResult is how the command ended.
type procResult struct {
	exitCode int
	startErr error
	// setup: startErr is the runner's (the image could not be had, ...),
	// not the command's.
	setup bool
	// timedOut, aborted: the job was interrupted for this reason;
	// shutdown: the runner is closing.
	timedOut, aborted, shutdown bool
}

func mkdirAll(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return nil
}

// execute runs the command and records its outcome; it returns false
// when the runner closed first.
func (rn *run) execute(ctx context.Context, spec execSpec) bool {
	logFile, err := os.OpenFile(rn.r.LogPath(rn.pj), os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o644)
	if err != nil {
		return rn.fail(jobs.RunError, "", fmt.Sprintf("Could not create the build log: %v.", err))
	}
	defer func() { _ = logFile.Close() }()
	res := rn.runProcess(ctx, spec, logFile)
	if res.shutdown {
		return false
	}
	phase, result, message := jobs.RunFailed, storage.ResultFailure, ""
	switch {
	case res.startErr != nil && res.setup:
		phase, message = jobs.RunError, fmt.Sprintf("Could not start the job: %v.", res.startErr)
		_, _ = fmt.Fprintf(logFile, "%s\n", message)
	case res.startErr != nil:
		message = fmt.Sprintf("Could not start the job's command: %v (exit code %d).", res.startErr, notStartedCode)
		_, _ = fmt.Fprintf(logFile, "%s\n", message)
	case res.aborted:
		result, message = storage.ResultAborted, abortedMessage
	case res.timedOut:
		message = fmt.Sprintf("Job timed out after %s.", spec.timeout)
	case res.exitCode == 0:
		phase, result = jobs.RunSucceeded, storage.ResultSuccess
	default:
		message = fmt.Sprintf("Job failed: its command exited with code %d.", res.exitCode)
	}
	rn.update(func(s *state) {
		s.ExitCode = &res.exitCode
		s.Revision = jobs.Revision(rn.pj)
		s.end(phase, result, message, rn.r.now())
	})
	return true
}

// runProcess runs the command in its own process group, its output going
// straight to logFile, and ends it on timeout, abort or shutdown.
func (rn *run) runProcess(ctx context.Context, spec execSpec, logFile *os.File) procResult {
	type startMsg struct {
		pid int
		err error
	}
	argv, env := spec.argv, spec.env
	if c := rn.r.opts.Container; c != nil {
		var err error
		if argv, env, err = c.Prepare(ctx, rn.containerJob(spec), logFile); err != nil {
			return procResult{exitCode: notStartedCode, startErr: err, setup: true}
		}
		defer rn.removeContainer(logFile)
	} else if isolate := rn.r.opts.Isolate; isolate != nil {
		var err error
		writable := []string{filepath.Join(rn.dir, codeDir), filepath.Join(rn.dir, artifactsDir)}
		if argv, err = isolate(spec.argv, spec.dir, writable); err != nil {
			return procResult{exitCode: notStartedCode, startErr: err}
		}
	}
	started := make(chan startMsg, 1)
	exited := make(chan *os.ProcessState, 1)
	go func() {
		// Pdeathsig is tied to the thread that forks the child: keep
		// this goroutine on its thread until the child is reaped, so
		// the thread neither exits early nor forks for anyone else.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = env, spec.dir, logFile, logFile
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			started <- startMsg{err: err}
			return
		}
		started <- startMsg{pid: cmd.Process.Pid}
		_ = cmd.Wait() // the outcome is in ProcessState
		exited <- cmd.ProcessState
	}()
	m := <-started
	if m.err != nil {
		return procResult{exitCode: notStartedCode, startErr: m.err}
	}
	now := rn.r.now()
	rn.releaseStart()
	rn.started()
	rn.set(func(s *state) { s.Started, s.PID = &now, m.pid })
	rn.mu.Lock()
	rn.running = true
	rn.mu.Unlock()
	// The first save of the state, for a restart to find the run, waits
	// for a burst of starts to be over: a run interrupted before is
	// reported interrupted all the same.
	rn.saveWhenIdle(ctx)
	rn.log.WithField("pid", m.pid).Info("The job's command started")

	group := -m.pid
	var res procResult
	timeout := time.NewTimer(spec.timeout)
	defer timeout.Stop()
	var kill <-chan time.Time
	interrupted := false
	interrupt := func(why string) {
		if interrupted {
			return
		}
		interrupted = true
		_, _ = fmt.Fprintf(logFile, "%s: sending SIGINT, then SIGKILL after %s\n", why, spec.grace)
		_ = syscall.Kill(group, syscall.SIGINT)
		kill = time.After(spec.grace)
	}
	stop, shutdown := rn.stop, ctx.Done()
	for {
		select {
		case ps := <-exited:
			_ = syscall.Kill(group, syscall.SIGKILL) // what the command left behind
			res.exitCode = jobs.ExitCode(ps)
			return res
		case <-timeout.C:
			res.timedOut = true
			interrupt(fmt.Sprintf("Process did not finish before %s timeout", spec.timeout))
		case <-stop:
			stop, res.aborted = nil, true
			interrupt("Process was aborted")
		case <-kill:
			kill = nil
			_, _ = fmt.Fprintf(logFile, "Process did not exit before %s grace period: killing it\n", spec.grace)
			_ = syscall.Kill(group, syscall.SIGKILL)
		case <-shutdown:
			shutdown, res.shutdown = nil, true
			_ = syscall.Kill(group, syscall.SIGKILL)
		}
	}
}
