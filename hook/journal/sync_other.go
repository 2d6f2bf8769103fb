//go:build !linux

package journal

import "os"

// syncData flushes a segment to disk.
func syncData(f *os.File) error { return f.Sync() }
