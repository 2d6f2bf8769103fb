//go:build linux

package journal

import (
	"os"
	"syscall"
)

// syncData flushes a segment's data; file size changes are flushed with
// it, other metadata (timestamps) is not needed to read the journal back.
func syncData(f *os.File) error {
	return syscall.Fdatasync(int(f.Fd()))
}
