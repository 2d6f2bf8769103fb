//go:build linux

package journal

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncData flushes a segment's data; file size changes are flushed with
// it, other metadata (timestamps) is not needed to read the journal back.
// The descriptor is used through the file's own reference count, so a
// concurrent Close cannot hand its number to another file meanwhile; on
// a closed file it returns os.ErrClosed.
func syncData(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.Fdatasync(int(fd)) }); err != nil {
		return os.ErrClosed // the only reason Control refuses
	}
	return serr
}
