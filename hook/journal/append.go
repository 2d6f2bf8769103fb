package journal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"
)

// Append records a delivery and returns once it is durable. dup is true,
// and nothing is written, when the delivery ID was recorded before.
func (j *Journal) Append(rec Record) (dup bool, err error) {
	bufp := j.frameBuf()
	frame := appendDeliveryFrame((*bufp)[:0], rec)
	defer func() {
		if cap(frame) <= 1<<20 { // keep ordinary deliveries' buffers only
			*bufp = frame[:0]
			j.frames.Put(bufp)
		}
	}()
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return false, ErrClosed
	}
	if _, seen := j.seen[rec.ID]; seen {
		j.mu.Unlock()
		return true, nil
	}
	if err := j.writeLocked(frame); err != nil {
		j.mu.Unlock()
		return false, err
	}
	j.track(rec.ID, j.seg)
	j.written++
	target := j.written
	j.mu.Unlock()
	return false, j.waitSynced(target)
}

// frameBuf takes a buffer to frame a delivery in from the journal's pool.
func (j *Journal) frameBuf() *[]byte {
	if b, ok := j.frames.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 64<<10)
	return &b
}

// Done marks a delivery handled, so it is not handed back on the next
// Open. The mark is not flushed on its own: a crash can at worst make a
// handled delivery be handled again, never lose one.
func (j *Journal) Done(id string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return ErrClosed
	}
	if !j.finish(id) {
		return nil
	}
	j.idle.Broadcast()
	if err := j.writeLocked(appendFrame(nil, kindDone, []byte(id))); err != nil {
		return err
	}
	return j.pruneLocked()
}

// Pending counts the deliveries recorded and not yet done.
func (j *Journal) Pending() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.pending)
}

// WaitIdle returns once no delivery is pending, or when ctx ends.
func (j *Journal) WaitIdle(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		j.mu.Lock()
		j.idle.Broadcast()
		j.mu.Unlock()
	})
	defer stop()
	j.mu.Lock()
	defer j.mu.Unlock()
	for len(j.pending) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		j.idle.Wait()
	}
	return nil
}

// Close flushes and closes the journal.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	syncErr := j.f.Truncate(j.segSize) // the zeros past the end
	if err := j.f.Sync(); syncErr == nil {
		syncErr = err
	}
	if err := j.f.Close(); err != nil {
		return fmt.Errorf("close journal: %w", err)
	}
	if syncErr != nil {
		return fmt.Errorf("sync journal: %w", syncErr)
	}
	return nil
}

// writeLocked appends a frame to the current segment, starting a new one
// when it is full. Callers hold mu.
func (j *Journal) writeLocked(frame []byte) error {
	if j.segSize > 0 && j.segSize+int64(len(frame)) > j.opts.SegmentSize {
		if err := j.rotateLocked(); err != nil {
			return err
		}
	}
	end := j.segSize + int64(len(frame))
	if end > j.filled && !j.opts.NoSync {
		if err := j.prefillLocked(end); err != nil {
			return err
		}
	}
	n, err := j.f.WriteAt(frame, j.segSize)
	j.segSize += int64(n)
	if err != nil {
		return fmt.Errorf("write journal segment %d: %w", j.seg, err)
	}
	return nil
}

// prefillChunk is how far ahead of the deliveries a segment is filled
// with zeros.
const prefillChunk = 4 << 20

var zeros [1 << 20]byte

// prefillLocked fills the segment with zeros from what is filled already
// to a chunk past end. Deliveries then overwrite blocks that are in the
// file already, so the fsync that makes them durable flushes their data
// only (no change of the file's size or blocks to commit): the group
// commit's fsync takes about half the time. A crash leaves the zeros
// after the last delivery, which replay reads as the end (and truncates).
// Callers hold mu.
func (j *Journal) prefillLocked(end int64) error {
	to := end + prefillChunk
	for off := j.filled; off < to; {
		n, err := j.f.WriteAt(zeros[:min(int64(len(zeros)), to-off)], off)
		off += int64(n)
		if err != nil {
			return fmt.Errorf("fill journal segment %d: %w", j.seg, err)
		}
	}
	j.filled = to
	return nil
}

// rotateLocked makes the current segment durable and starts the next.
func (j *Journal) rotateLocked() error {
	if err := j.f.Truncate(j.segSize); err != nil { // the zeros past the end
		return fmt.Errorf("truncate journal segment %d: %w", j.seg, err)
	}
	if !j.opts.NoSync {
		if err := j.f.Sync(); err != nil {
			return fmt.Errorf("sync journal segment %d: %w", j.seg, err)
		}
	}
	if err := j.f.Close(); err != nil {
		return fmt.Errorf("close journal segment %d: %w", j.seg, err)
	}
	if err := j.startSegment(j.seg + 1); err != nil {
		return err
	}
	j.segIDs[j.seg] = nil
	return j.pruneLocked()
}

// pruneLocked deletes old segments whose deliveries are all done, keeping
// the newest KeepSegments for recognizing redeliveries. Callers hold mu.
func (j *Journal) pruneLocked() error {
	segs := make([]int, 0, len(j.segIDs))
	for seg := range j.segIDs {
		if seg != j.seg {
			segs = append(segs, seg)
		}
	}
	if len(segs) <= j.opts.KeepSegments {
		return nil
	}
	sort.Ints(segs)
	for _, seg := range segs[:len(segs)-j.opts.KeepSegments] {
		if j.openDeps[seg] > 0 {
			continue
		}
		path := filepath.Join(j.opts.Dir, segmentName(seg))
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("remove finished journal segment %s: %w", path, err)
		}
		for _, id := range j.segIDs[seg] {
			delete(j.seen, id)
		}
		delete(j.segIDs, seg)
		delete(j.openDeps, seg)
	}
	return nil
}

// waitSynced returns once every write up to target is on disk. Concurrent
// callers share one fsync: whoever finds no sync running starts one that
// covers everything written so far, and the others wait for it.
func (j *Journal) waitSynced(target uint64) error {
	if j.opts.NoSync {
		return nil
	}
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	for j.synced < target {
		if j.syncErr != nil {
			return j.syncErr
		}
		if j.syncing {
			j.syncCnd.Wait()
			continue
		}
		j.syncing = true
		j.syncMu.Unlock()
		j.mu.Lock()
		upto, f := j.written, j.f
		j.mu.Unlock()
		err := syncData(f)
		if errors.Is(err, os.ErrClosed) || errors.Is(err, syscall.EBADF) {
			err = nil // rotated meanwhile: rotation synced the whole file
		}
		j.syncMu.Lock()
		j.syncing = false
		if err != nil {
			j.syncErr = fmt.Errorf("sync journal: %w", err)
		} else if upto > j.synced {
			j.synced = upto
		}
		j.syncCnd.Broadcast()
	}
	return nil
}
