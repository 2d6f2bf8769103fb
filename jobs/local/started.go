package local

import (
	"context"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/prow/storage"
)

// startedUpload is started.json, written in the background once no run
// is starting (see startGate) and an upload slot is free, so that a
// burst of jobs starts their commands before writing their
// started.json, and written again when its content changes.
type startedUpload struct {
	b   storage.Bucket
	dir string
	// done is closed once the background write is over.
	done chan struct{}

	mu      sync.Mutex
	started storage.Started
	version int

	// writeMu serializes the writes; written is the version in the
	// bucket.
	writeMu sync.Mutex
	written int
}

func (rn *run) writeStartedAsync(ctx context.Context, b storage.Bucket, dir string, started storage.Started) *startedUpload {
	su := &startedUpload{b: b, dir: dir, started: started, version: 1, done: make(chan struct{})}
	go func() {
		defer close(su.done)
		if rn.r.acquireUpload(ctx) {
			_ = su.flush(ctx) // finish retries a failure
			rn.r.releaseUpload()
		}
	}()
	return su
}

// flush writes the latest content unless it is in the bucket already.
func (su *startedUpload) flush(ctx context.Context) error {
	su.writeMu.Lock()
	defer su.writeMu.Unlock()
	su.mu.Lock()
	started, version := su.started, su.version
	su.mu.Unlock()
	if version == su.written {
		return nil
	}
	if err := writeJSON(ctx, su.b, su.dir, storage.StartedFile, started); err != nil {
		return err
	}
	su.written = version
	return nil
}

// update changes the content; it is written now if the background write
// is over, else by it.
func (su *startedUpload) update(ctx context.Context, f func(*storage.Started)) error {
	su.mu.Lock()
	f(&su.started)
	su.version++
	su.mu.Unlock()
	select {
	case <-su.done:
		return su.flush(ctx)
	default:
		return nil
	}
}

// finish waits for the background write, then writes what is not in the
// bucket yet (a failed write is retried once).
func (su *startedUpload) finish(ctx context.Context, log *logrus.Entry) {
	<-su.done
	if ctx.Err() != nil {
		return
	}
	if err := su.flush(ctx); err != nil {
		log.WithError(err).Error("Could not upload started.json")
	}
}
