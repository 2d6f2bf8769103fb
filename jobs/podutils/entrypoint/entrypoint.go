package entrypoint

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/podutils/marker"
	"github.com/prowbot/prow/jobs/podutils/options"
)

// DefaultCopyDst is where copy mode puts the binary: the tools volume.
const DefaultCopyDst = "/tools/entrypoint"

// Deps are what entrypoint needs besides its options.
type Deps struct {
	// Stdout receives the command's output besides the process log
	// (discarded when nil).
	Stdout io.Writer
	// Interrupt delivers the signals that ask entrypoint to stop the
	// command early (SIGINT, SIGTERM); nil when there are none.
	Interrupt <-chan os.Signal
	// Log logs entrypoint's own errors (the standard logger when nil).
	Log *logrus.Entry
}

// outcome is how the wrapped command ended.
type outcome struct {
	// code is the command's exit code (128+n when killed by signal n).
	code int
	// notStarted: the command did not run (it could not start, or a
	// previous step failed); code is then the marker to write.
	notStarted bool
	// timedOut, aborted: it was interrupted for this reason.
	timedOut, aborted bool
}

// markerCode is the exit code to mark for an outcome.
func markerCode(o options.Entrypoint, res outcome) int {
	switch {
	case res.notStarted:
		return res.code
	case res.aborted && !o.PropagateErrorCode:
		return marker.AbortedErrorCode
	case res.timedOut && !o.PropagateErrorCode:
		return marker.InternalErrorCode
	default:
		return res.code
	}
}

// exitCode is the code entrypoint exits with once the marker is written
// (or could not be).
func exitCode(o options.Entrypoint, mark int, markErr error) int {
	switch {
	case markErr != nil:
		return marker.InternalErrorCode
	case o.AlwaysZero:
		return 0
	default:
		return mark
	}
}

// timeouts are the options' timeout and grace period, or the defaults.
func timeouts(o options.Entrypoint) (timeout, grace time.Duration) {
	timeout, grace = o.Timeout, o.GracePeriod
	if timeout == 0 {
		timeout = jobs.DefaultTimeout
	}
	if grace == 0 {
		grace = jobs.DefaultGracePeriod
	}
	return timeout, grace
}

// Run runs the wrapped command of o (which must be valid and not in copy
// mode), writes the marker and returns the code to exit with.
func Run(ctx context.Context, o options.Entrypoint, d Deps) int {
	if d.Stdout == nil {
		d.Stdout = io.Discard
	}
	if d.Log == nil {
		d.Log = logrus.NewEntry(logrus.StandardLogger())
	}
	res := run(ctx, o, d)
	mark := markerCode(o, res)
	err := marker.Write(o.MarkerFile, mark)
	if err != nil {
		d.Log.WithError(err).Error("Could not write the marker file")
	}
	return exitCode(o, mark, err)
}

// run prepares the artifacts directory and the log, waits for the
// previous step and runs the command.
func run(ctx context.Context, o options.Entrypoint, d Deps) outcome {
	internal := outcome{code: marker.InternalErrorCode, notStarted: true}
	if o.ArtifactDir != "" {
		if err := os.MkdirAll(o.ArtifactDir, 0o755); err != nil {
			d.Log.WithError(err).Error("Could not create the artifacts directory")
			return internal
		}
	}
	logFile, err := os.Create(o.ProcessLog)
	if err != nil {
		d.Log.WithError(err).Error("Could not create the process log")
		return internal
	}
	defer func() { _ = logFile.Close() }()
	out := &lockedWriter{w: io.MultiWriter(d.Stdout, logFile)}
	if o.PreviousMarker != "" {
		if res, ok := waitPrevious(ctx, o.PreviousMarker, d.Interrupt, out); !ok {
			return res
		}
	}
	timeout, grace := timeouts(o)
	return execute(ctx, o.Args, timeout, grace, d.Interrupt, out)
}

// waitPrevious waits for the previous step's marker; ok says whether the
// command may run.
func waitPrevious(ctx context.Context, path string, interrupt <-chan os.Signal, out io.Writer) (outcome, bool) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-interrupt:
			cancel()
		case <-wctx.Done():
		}
	}()
	res := marker.Wait(wctx, path)[path]
	switch {
	case res.Err != nil:
		fmt.Fprintf(out, "entrypoint: could not learn how the previous step ended: %v\n", res.Err)
		return outcome{code: marker.InternalErrorCode, notStarted: true}, false
	case res.Code != 0:
		fmt.Fprintf(out, "entrypoint: not running the command: the previous step exited %d\n", res.Code)
		return outcome{code: marker.PreviousErrorCode, notStarted: true}, false
	}
	return outcome{}, true
}

// lockedWriter serializes the writes of the command's output and of
// entrypoint's messages.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
