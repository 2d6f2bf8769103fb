package local

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/prowbot/prow/jobs/downward"
)

// killLeftovers kills what the command of job name left running when the
// process running it died (PR_SET_PDEATHSIG reaches only the main
// process): every process whose environment names the job
// (PROW_JOB_ID), whatever process group or session it moved to. A reused
// PID cannot match, since the environment names this very run. It
// returns how many were killed.
func killLeftovers(name string) int {
	want := []byte(downward.ProwJobIDEnv + "=" + name + "\x00")
	self := os.Getpid()
	procs, _ := filepath.Glob("/proc/[0-9]*")
	n := 0
	for _, p := range procs {
		pid, err := strconv.Atoi(filepath.Base(p))
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile(filepath.Join(p, "environ"))
		if err != nil || !hasEntry(env, want) {
			continue
		}
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}

// hasEntry says whether a NUL-separated environment holds entry (which
// ends with its NUL).
func hasEntry(env, entry []byte) bool {
	return bytes.HasPrefix(env, entry) || bytes.Contains(env, append([]byte{0}, entry...))
}
