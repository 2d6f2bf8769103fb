package kubeenv

import "syscall"

// sysProcAttr makes the kernel kill a component when the thread that started
// it exits, so none outlives a test binary that crashed or was killed.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
