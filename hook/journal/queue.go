package journal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The journal is hook's queue: a delivery is queued for Next once it is
// durable, and stays pending until Done. Waiting deliveries hold their
// payload in memory up to Options.MemoryBudget; past it they are read
// back from their segment when their turn comes, so however long the
// backlog, memory holds only a small reference per delivery.

// ref locates one delivery waiting for a worker.
type ref struct {
	id       string
	seg      int
	off      int64 // the frame's offset in its segment
	size     int   // the frame's length
	received time.Time
	replayed bool
	rec      *Record // the delivery itself, when held in memory
}

// ErrDrained is returned by Next once Drain was called and no delivery is
// left waiting.
var ErrDrained = errors.New("journal queue drained")

// UnreadableError is returned by Next for a waiting delivery whose frame
// cannot be read back from disk; ID names it so it can be marked done.
type UnreadableError struct {
	ID  string
	Err error
}

func (e *UnreadableError) Error() string {
	return fmt.Sprintf("delivery %s cannot be read back from the journal: %v", e.ID, e.Err)
}

func (e *UnreadableError) Unwrap() error { return e.Err }

// pushLocked queues a durable delivery, keeping rec in memory while the
// budget allows. Callers hold mu.
func (j *Journal) pushLocked(r ref, rec *Record) {
	if n := int64(len(rec.Body)); j.inMemory+n <= j.opts.MemoryBudget {
		j.inMemory += n
		r.rec = rec
	}
	j.queue = append(j.queue, r)
	j.queued.Signal()
}

// Next waits for the oldest delivery no worker has taken and returns it.
// It returns ctx's error when ctx ends, ErrClosed after Close and
// ErrDrained after Drain once nothing is left waiting. The delivery stays
// pending until Done.
func (j *Journal) Next(ctx context.Context) (Record, error) {
	stop := context.AfterFunc(ctx, func() {
		j.mu.Lock()
		j.queued.Broadcast()
		j.mu.Unlock()
	})
	defer stop()
	j.mu.Lock()
	for j.qHead == len(j.queue) || j.closed {
		var err error
		switch {
		case j.closed:
			err = ErrClosed
		case j.draining:
			err = ErrDrained
		default:
			err = ctx.Err()
		}
		if err != nil {
			j.mu.Unlock()
			return Record{}, err
		}
		j.queued.Wait()
	}
	r := j.queue[j.qHead]
	j.queue[j.qHead] = ref{}
	j.qHead++
	if j.qHead >= 1024 && j.qHead*2 >= len(j.queue) {
		j.queue = append(j.queue[:0:0], j.queue[j.qHead:]...)
		j.qHead = 0
	}
	if r.rec != nil {
		j.inMemory -= int64(len(r.rec.Body))
	}
	j.mu.Unlock()
	if r.rec != nil {
		rec := *r.rec
		rec.Replayed = r.replayed
		return rec, nil
	}
	rec, err := j.readBack(r)
	if err != nil {
		return Record{ID: r.id, Replayed: r.replayed}, &UnreadableError{ID: r.id, Err: err}
	}
	rec.Replayed = r.replayed
	return rec, nil
}

// Drain makes Next return ErrDrained, instead of waiting, once no
// delivery is left waiting: workers finish what was accepted and stop.
func (j *Journal) Drain() {
	j.mu.Lock()
	j.draining = true
	j.queued.Broadcast()
	j.mu.Unlock()
}

// Replayed is the number of deliveries Open queued from an earlier run.
func (j *Journal) Replayed() int { return j.replayed }

// Backlog reports the deliveries recorded and not yet done, the ones
// among them no worker has taken yet, and when the oldest of those was
// received (zero when none waits).
func (j *Journal) Backlog() (pending, waiting int, oldest time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	waiting = len(j.queue) - j.qHead
	if waiting > 0 {
		oldest = j.queue[j.qHead].received
	}
	return len(j.pending), waiting, oldest
}

// readBack reads a waiting delivery from its segment.
func (j *Journal) readBack(r ref) (Record, error) {
	f, err := j.reader(r.seg)
	if err != nil {
		return Record{}, err
	}
	buf := make([]byte, r.size)
	if _, err := f.ReadAt(buf, r.off); err != nil {
		return Record{}, fmt.Errorf("read journal segment %d at %d: %w", r.seg, r.off, err)
	}
	kind, payload, err := readFrame(bytes.NewReader(buf))
	if err != nil {
		return Record{}, fmt.Errorf("journal segment %d at %d: %w", r.seg, r.off, err)
	}
	if kind != kindDelivery && kind != kindDeliveryS2 {
		return Record{}, fmt.Errorf("journal segment %d at %d: not a delivery", r.seg, r.off)
	}
	rec, err := decodeFrame(kind, payload)
	if err != nil {
		return Record{}, fmt.Errorf("journal segment %d at %d: %w", r.seg, r.off, err)
	}
	if rec.ID != r.id {
		return Record{}, fmt.Errorf("journal segment %d at %d holds %q", r.seg, r.off, rec.ID)
	}
	return rec, nil
}

// reader is a read handle on segment seg, opened on first use.
func (j *Journal) reader(seg int) (*os.File, error) {
	j.rmu.Lock()
	defer j.rmu.Unlock()
	if f, ok := j.readers[seg]; ok {
		return f, nil
	}
	f, err := os.Open(filepath.Join(j.opts.Dir, segmentName(seg)))
	if err != nil {
		return nil, fmt.Errorf("open journal segment: %w", err)
	}
	j.readers[seg] = f
	return f, nil
}

// closeReader closes segment seg's read handle, if open (the segment is
// about to be deleted: no delivery in it is waiting).
func (j *Journal) closeReader(seg int) {
	j.rmu.Lock()
	defer j.rmu.Unlock()
	if f, ok := j.readers[seg]; ok {
		_ = f.Close()
		delete(j.readers, seg)
	}
}

// closeReaders closes every read handle.
func (j *Journal) closeReaders() {
	j.rmu.Lock()
	defer j.rmu.Unlock()
	for seg, f := range j.readers {
		_ = f.Close()
		delete(j.readers, seg)
	}
}
