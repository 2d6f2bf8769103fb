package entrypoint

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/podutils/marker"
)

// drainTimeout bounds how long the output is read after the command
// exited and its process group was killed (a process that left the group
// may hold the output open).
const drainTimeout = 5 * time.Second

// execute runs args in a process group of its own with its output going
// to out, and interrupts it on timeout, on a signal or when ctx ends:
// SIGINT to the group, then SIGKILL after the grace period.
func execute(ctx context.Context, args []string, timeout, grace time.Duration, interrupt <-chan os.Signal, out io.Writer) outcome {
	pr, pw, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(out, "entrypoint: could not make the output pipe: %v\n", err)
		return outcome{code: marker.InternalErrorCode, notStarted: true}
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	_ = pw.Close()
	if err != nil {
		_ = pr.Close()
		fmt.Fprintf(out, "entrypoint: could not start the process: %v\n", err)
		return outcome{code: marker.InternalErrorCode, notStarted: true}
	}
	copied := make(chan struct{})
	go func() {
		_, _ = io.Copy(out, pr)
		close(copied)
	}()
	exited := make(chan *os.ProcessState, 1)
	go func() {
		_ = cmd.Wait() // the outcome is in ProcessState
		exited <- cmd.ProcessState
	}()
	res := supervise(ctx, -cmd.Process.Pid, timeout, grace, interrupt, exited, out)
	select {
	case <-copied:
	case <-time.After(drainTimeout):
		_ = pr.Close()
		<-copied
	}
	_ = pr.Close()
	return res
}

// supervise waits for the process group's leader to exit, interrupting
// the group on timeout, signal or the end of ctx and killing it after
// the grace period; once the leader exited, what is left of the group is
// killed.
func supervise(ctx context.Context, group int, timeout, grace time.Duration, interrupt <-chan os.Signal, exited <-chan *os.ProcessState, out io.Writer) outcome {
	var res outcome
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var kill <-chan time.Time
	stopping := false
	stop := func(why string, sig ...syscall.Signal) {
		if stopping {
			return
		}
		stopping = true
		fmt.Fprintf(out, "entrypoint: %s: interrupting the process, and killing it if it has not exited after the %s grace period\n", why, grace)
		_ = syscall.Kill(group, syscall.SIGINT)
		for _, s := range sig {
			if s != syscall.SIGINT {
				_ = syscall.Kill(group, s)
			}
		}
		kill = time.After(grace)
	}
	done := ctx.Done()
	for {
		select {
		case ps := <-exited:
			_ = syscall.Kill(group, syscall.SIGKILL) // what the command left behind
			res.code = jobs.ExitCode(ps)
			return res
		case <-deadline.C:
			res.timedOut = true
			stop(fmt.Sprintf("the process did not finish before the %s timeout", timeout))
		case s := <-interrupt:
			interrupt = nil
			res.aborted = !res.timedOut
			sig, _ := s.(syscall.Signal)
			stop(fmt.Sprintf("received %v", s), sig)
		case <-done:
			done = nil
			res.aborted = !res.timedOut
			stop("entrypoint is shutting down")
		case <-kill:
			kill = nil
			fmt.Fprintf(out, "entrypoint: the process did not exit within the %s grace period: killing it\n", grace)
			_ = syscall.Kill(group, syscall.SIGKILL)
		}
	}
}
