package entrypoint

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Copy copies the executable src to dst (made executable, replacing
// what is there atomically): what place-entrypoint does with the
// running binary.
func Copy(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy entrypoint %s to %s: %w", src, dst, err)
	}
	defer func() { _ = in.Close() }()
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("copy entrypoint to %s: %w", dst, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".tmp*")
	if err != nil {
		return fmt.Errorf("copy entrypoint to %s: %w", dst, err)
	}
	_, err = io.Copy(tmp, in)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("copy entrypoint %s to %s: %w", src, dst, err)
	}
	return nil
}
