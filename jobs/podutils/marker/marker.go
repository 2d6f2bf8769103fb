package marker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Exit codes entrypoint writes when it, not the command, decides.
const (
	// InternalErrorCode: the command could not start, or timed out.
	InternalErrorCode = 127
	// AbortedErrorCode: the command was interrupted by a signal.
	AbortedErrorCode = 130
	// PreviousErrorCode: the command did not run because the previous
	// step failed (above 256 so that no command can exit with it).
	PreviousErrorCode = 1000 + AbortedErrorCode
)

// pollInterval is how often Wait looks for markers besides watching
// their directories, for file systems whose changes are not notified.
const pollInterval = time.Second

// Write atomically writes code to the marker file path.
func Write(path string, code int) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("write marker %s: %w", path, err)
	}
	_, err = tmp.WriteString(strconv.Itoa(code))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write marker %s: %w", path, err)
	}
	return nil
}

// Read reads the exit code in a marker file. A missing file fails with
// an error satisfying errors.Is(err, fs.ErrNotExist).
func Read(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read marker %s: %w", path, err)
	}
	code, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return 0, fmt.Errorf("marker %s does not hold an exit code: %w", path, err)
	}
	return code, nil
}

// Result is what a marker said: its exit code, or why it could not be
// read (then Code is -1).
type Result struct {
	Code int
	Err  error
}

// Wait waits until every marker exists and returns what each said. When
// ctx ends first, the markers still missing get ctx's error.
func Wait(ctx context.Context, paths ...string) map[string]Result {
	results := make(map[string]Result, len(paths))
	w := newWaiter(paths)
	defer w.close()
	for !check(paths, results) {
		if !w.next(ctx) {
			for _, p := range paths {
				if _, ok := results[p]; !ok {
					results[p] = Result{Code: -1, Err: fmt.Errorf("wait for marker %s: %w", p, ctx.Err())}
				}
			}
			break
		}
	}
	return results
}

// waiter tells when a marker may have appeared: when the directory
// watch reports one of them, or on the next poll.
type waiter struct {
	watcher *fsnotify.Watcher
	events  <-chan fsnotify.Event
	errs    <-chan error
	markers map[string]bool
	tick    *time.Ticker
}

func newWaiter(paths []string) *waiter {
	w := &waiter{markers: map[string]bool{}, tick: time.NewTicker(pollInterval)}
	for _, p := range paths {
		w.markers[filepath.Clean(p)] = true
	}
	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		return w // polling only
	}
	w.watcher, w.events, w.errs = watcher, watcher.Events, watcher.Errors
	for _, p := range paths {
		_ = watcher.Add(filepath.Dir(p)) // polling covers a directory that cannot be watched
	}
	return w
}

func (w *waiter) close() {
	w.tick.Stop()
	if w.watcher != nil {
		_ = w.watcher.Close()
	}
}

// next waits for a reason to look at the markers again; false when ctx
// ended. Events of other files (the logs being written beside the
// markers) are skipped.
func (w *waiter) next(ctx context.Context) bool {
	for {
		select {
		case <-ctx.Done():
			return false
		case <-w.tick.C:
			return true
		case ev, ok := <-w.events:
			if !ok {
				w.events = nil
			} else if w.markers[filepath.Clean(ev.Name)] {
				return true
			}
		case _, ok := <-w.errs: // a missed event is caught by polling
			if !ok {
				w.errs = nil
			}
		}
	}
}

// check reads the markers not read yet and reports whether all are.
func check(paths []string, results map[string]Result) bool {
	done := true
	for _, p := range paths {
		if _, ok := results[p]; ok {
			continue
		}
		code, err := Read(p)
		switch {
		case err == nil:
			results[p] = Result{Code: code}
		case errors.Is(err, os.ErrNotExist):
			done = false
		default:
			results[p] = Result{Code: -1, Err: err}
		}
	}
	return done
}
