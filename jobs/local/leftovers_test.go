package local

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

func TestKillLeftoversKillsOnlyTheJobsProcesses(t *testing.T) {
	start := func(id string) *exec.Cmd {
		cmd := exec.Command("sleep", "300")
		cmd.Env = append(os.Environ(), "PROW_JOB_ID="+id)
		// In a session of its own, as a daemon a job started would be.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	left, other := start("job-left"), start("job-left-2")
	defer func() { _ = other.Process.Kill(); _ = other.Wait() }()
	if n := killLeftovers("job-left"); n != 1 {
		t.Errorf("killed %d processes, want 1", n)
	}
	if err := left.Wait(); err == nil {
		t.Error("the leftover process exited on its own")
	}
	if err := other.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("another job's process was killed: %v", err)
	}
}
