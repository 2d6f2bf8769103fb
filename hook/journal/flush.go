package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// batch is the frames gathered for one flush.
type batch struct {
	chunks []chunk
	// deliveries counts the frames whose Append waits: a batch of done
	// marks only needs no sync of its own.
	deliveries int
	// done is closed once the batch is written (and synced, with
	// SyncBeforeAck), with err set first.
	done chan struct{}
	err  error
}

// chunk is the consecutive frames of a batch that go to one segment.
type chunk struct {
	seg  int
	data []byte
}

// newBatch is an empty batch to gather frames in.
func newBatch() *batch { return &batch{done: make(chan struct{})} }

// takeSpareLocked is an empty buffer, reused from a written batch when
// there is one. Callers hold mu.
func (j *Journal) takeSpareLocked() []byte {
	if n := len(j.spare); n > 0 {
		buf := j.spare[n-1]
		j.spare = j.spare[:n-1]
		return buf[:0]
	}
	return make([]byte, 0, 256<<10)
}

// add copies a frame into the batch, in a new chunk when it goes to
// another segment than the frame before.
func (b *batch) add(seg int, frame []byte, newBuf func() []byte) {
	if n := len(b.chunks); n > 0 && b.chunks[n-1].seg == seg {
		b.chunks[n-1].data = append(b.chunks[n-1].data, frame...)
		return
	}
	b.chunks = append(b.chunks, chunk{seg: seg, data: append(newBuf(), frame...)})
}

// maxSpare is the largest buffer kept for reuse: an unusually large
// delivery's buffer goes back to the garbage collector.
const maxSpare = 4 << 20

// Who writes: one writer at a time holds j.writing. An Append writes the
// batch its frame is in itself when nobody is writing (no hand-over to
// another goroutine on the way to its answer), and the batches gathered
// meanwhile, up to leaderBatches; what is left then goes to the flusher
// goroutine, which also writes the done marks and the last frames on
// Close.

// leaderBatches bounds the batches an Append writes for others before
// it answers its own request.
const leaderBatches = 3

// tryWrite writes the gathered batches when nobody else is writing;
// otherwise the writer at work takes them.
func (j *Journal) tryWrite() {
	j.mu.Lock()
	if j.writing {
		j.mu.Unlock()
		return
	}
	j.writing = true
	j.mu.Unlock()
	for i := 0; i < leaderBatches && j.writeBatch(); i++ {
	}
	j.release()
}

// release gives up writing; the flusher takes over when frames are left
// or the journal is closing.
func (j *Journal) release() {
	j.mu.Lock()
	j.writing = false
	more := len(j.cur.chunks) > 0 || j.closed
	j.mu.Unlock()
	if more {
		j.wake()
	}
}

// writeBatch takes the frames gathered so far and writes them, answering
// their Appends; false when there was nothing to write. Only the holder
// of j.writing calls it.
func (j *Journal) writeBatch() bool {
	j.mu.Lock()
	b := j.cur
	if len(b.chunks) == 0 {
		j.mu.Unlock()
		return false
	}
	j.cur = newBatch()
	failed := j.failed
	j.mu.Unlock()
	b.err = failed
	if b.err == nil {
		b.err = j.write(b)
	}
	j.mu.Lock()
	if b.err != nil && j.failed == nil {
		j.failed = b.err
	}
	for _, c := range b.chunks {
		if cap(c.data) <= maxSpare {
			j.spare = append(j.spare, c.data)
		}
	}
	j.mu.Unlock()
	close(b.done)
	return true
}

// flusher writes what no Append is writing (done marks, batches left by a
// writer that answered its own request) until the journal is closed and
// nothing is left to write.
func (j *Journal) flusher() {
	defer close(j.flusherDone)
	for range j.kick {
		j.mu.Lock()
		if j.writing {
			j.mu.Unlock()
			continue // the writer at work wakes us again if it leaves frames
		}
		j.writing = true
		j.mu.Unlock()
		for j.writeBatch() {
			// The waiters just answered may be queued on this
			// goroutine's processor: let them run first.
			runtime.Gosched()
		}
		j.mu.Lock()
		j.writing = false
		finished := j.closed && len(j.cur.chunks) == 0
		more := len(j.cur.chunks) > 0
		j.mu.Unlock()
		if finished {
			return
		}
		if more {
			j.wake()
		}
	}
}

// write writes a batch, starting the segments it reaches. With
// SyncBeforeAck it syncs the batch before its deliveries are answered;
// otherwise it wakes the syncer, which syncs while the next batch is
// written.
func (j *Journal) write(b *batch) error {
	for _, c := range b.chunks {
		if c.seg != j.fileSeg {
			if err := j.rotate(c.seg); err != nil {
				return err
			}
		}
		end := j.fileSize + int64(len(c.data))
		// Only an fdatasync an acknowledgement waits for is worth the
		// zeros: behind the acknowledgements they would only double what
		// is written.
		if end > j.filled && j.opts.SyncBeforeAck && !j.opts.NoSync {
			if err := j.prefill(end); err != nil {
				return err
			}
		}
		n, err := j.f.WriteAt(c.data, j.fileSize)
		j.fileSize += int64(n)
		if err != nil {
			return fmt.Errorf("write journal segment %d: %w", j.fileSeg, err)
		}
	}
	switch {
	case j.opts.NoSync:
	case j.opts.SyncBeforeAck && b.deliveries > 0:
		if err := syncData(j.f); err != nil {
			return fmt.Errorf("sync journal segment %d: %w", j.fileSeg, err)
		}
	default:
		j.mu.Lock()
		j.unsynced = j.f
		j.mu.Unlock()
		select {
		case j.syncKick <- struct{}{}:
		default:
		}
	}
	return nil
}

// syncer makes what the flusher wrote durable, one fdatasync at a time,
// without holding up the next write. A failed sync fails the journal:
// later deliveries are refused rather than acknowledged without a
// chance of reaching the disk.
func (j *Journal) syncer() {
	defer close(j.syncerDone)
	for range j.syncKick {
		j.mu.Lock()
		f := j.unsynced
		j.unsynced = nil
		j.mu.Unlock()
		if f == nil {
			continue
		}
		// A segment closed by a rotation meanwhile was synced by it.
		if err := syncData(f); err != nil && !errors.Is(err, os.ErrClosed) {
			j.mu.Lock()
			if j.failed == nil {
				j.failed = fmt.Errorf("sync journal: %w", err)
			}
			j.mu.Unlock()
		}
	}
}

// prefillChunk is how far ahead of the deliveries a segment is filled
// with zeros.
const prefillChunk = 4 << 20

var zeros [1 << 20]byte

// prefill fills the segment with zeros from what is filled already to a
// chunk past end (with SyncBeforeAck). Deliveries then overwrite blocks that are in the file
// already, so the fsync that makes them durable flushes their data only
// (no change of the file's size or blocks to commit): the fsync takes
// about half the time. A crash leaves the zeros after the last delivery,
// which replay reads as the end (and truncates).
func (j *Journal) prefill(end int64) error {
	to := end + prefillChunk
	for off := j.filled; off < to; {
		n, err := j.f.WriteAt(zeros[:min(int64(len(zeros)), to-off)], off)
		off += int64(n)
		if err != nil {
			return fmt.Errorf("fill journal segment %d: %w", j.fileSeg, err)
		}
	}
	j.filled = to
	return nil
}

// rotate makes the current segment durable, starts segment next and
// syncs the directory, so the new file's name survives a crash too.
// Then old finished segments are pruned. An error leaves the journal
// failed: it takes no more deliveries.
func (j *Journal) rotate(next int) error {
	if err := j.closeFile(); err != nil {
		return err
	}
	if err := j.openSegment(next); err != nil {
		return err
	}
	if !j.opts.NoSync {
		if err := syncDir(j.opts.Dir); err != nil {
			return err
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.fileSeg = next
	// A finished segment that cannot be removed stays on disk, harmless,
	// and is tried again at the next prune: not a reason to refuse
	// deliveries.
	_ = j.pruneLocked()
	return nil
}

// closeFile cuts the zeros past the last frame off the segment file,
// syncs and closes it.
func (j *Journal) closeFile() error {
	err := j.f.Truncate(j.fileSize)
	if err != nil {
		err = fmt.Errorf("truncate journal segment %d: %w", j.fileSeg, err)
	}
	if !j.opts.NoSync {
		if serr := j.f.Sync(); serr != nil && err == nil {
			err = fmt.Errorf("sync journal segment %d: %w", j.fileSeg, serr)
		}
	}
	if cerr := j.f.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close journal segment %d: %w", j.fileSeg, cerr)
	}
	return err
}

// syncDir makes the directory's entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open journal dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync journal dir %s: %w", filepath.Clean(dir), err)
	}
	return nil
}
