//go:build !linux

package kubeenv

import "syscall"

// sysProcAttr has no parent-death signal to ask for outside Linux: Stop
// (registered with t.Cleanup) is what ends the components there.
func sysProcAttr() *syscall.SysProcAttr { return nil }
