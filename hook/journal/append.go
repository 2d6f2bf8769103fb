package journal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Append records a delivery and returns once it is written (and synced,
// with SyncBeforeAck); the delivery is then queued for Next. dup is true, and nothing is written, when the
// delivery ID was recorded before.
func (j *Journal) Append(rec Record) (dup bool, err error) {
	fb := j.frameBuf()
	frame, raw := appendDeliveryFrame(fb.frame[:0], fb.raw, rec)
	r := ref{id: rec.ID, size: len(frame), received: rec.Received}
	j.mu.Lock()
	b, err := j.appendLocked(&r, frame)
	j.mu.Unlock()
	if cap(frame)+cap(raw) <= 2<<20 { // keep ordinary deliveries' buffers only
		fb.frame, fb.raw = frame[:0], raw[:0]
		j.frames.Put(fb)
	}
	if b == nil || err != nil {
		return err == nil, err
	}
	j.tryWrite()
	<-b.done
	if b.err != nil {
		return false, b.err
	}
	j.mu.Lock()
	j.pushLocked(r, &rec)
	j.mu.Unlock()
	return false, nil
}

// appendLocked queues a delivery's frame, noting in r where it goes, and
// returns the batch to wait for, or nil for a delivery recorded before.
// Callers hold mu.
func (j *Journal) appendLocked(r *ref, frame []byte) (*batch, error) {
	if j.closed {
		return nil, ErrClosed
	}
	if j.failed != nil {
		return nil, j.failed
	}
	if _, seen := j.seen[r.id]; seen {
		return nil, nil
	}
	r.seg, r.off = j.queueLocked(frame)
	j.track(r.id, r.seg, r.received)
	j.cur.deliveries++
	return j.cur, nil
}

// queueLocked adds a frame to the next flush and returns the segment it
// goes to and its offset there, starting a new segment when the current
// is full. Callers hold mu.
func (j *Journal) queueLocked(frame []byte) (seg int, off int64) {
	if j.segSize > 0 && j.segSize+int64(len(frame)) > j.opts.SegmentSize {
		j.seg++
		j.segSize = 0
		j.segIDs[j.seg] = nil
	}
	j.cur.add(j.seg, frame, j.takeSpareLocked)
	off = j.segSize
	j.segSize += int64(len(frame))
	return j.seg, off
}

// wake tells the flusher there is something to write.
func (j *Journal) wake() {
	select {
	case j.kick <- struct{}{}:
	default:
	}
}

// frameBufs are the buffers a delivery is encoded (raw) and framed
// (compressed) in.
type frameBufs struct{ raw, frame []byte }

// frameBuf takes buffers to frame a delivery in from the journal's pool.
func (j *Journal) frameBuf() *frameBufs {
	if b, ok := j.frames.Get().(*frameBufs); ok {
		return b
	}
	return &frameBufs{raw: make([]byte, 0, 64<<10), frame: make([]byte, 0, 16<<10)}
}

// Done marks a delivery handled, so it is not handed back on the next
// Open. The mark is written (not flushed to disk on its own) shortly
// after: a crash can at worst make a handled delivery be handled again,
// never lose one.
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
	if j.failed != nil {
		return j.failed
	}
	_, _ = j.queueLocked(appendFrame(nil, kindDone, []byte(id)))
	j.wake()
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

// Close writes what is queued, flushes and closes the journal. Next then
// returns ErrClosed; deliveries still waiting are handed out again by the
// next Open.
func (j *Journal) Close() error {
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return nil
	}
	j.closed = true
	j.queued.Broadcast()
	j.mu.Unlock()
	j.wake()
	<-j.flusherDone
	close(j.syncKick)
	<-j.syncerDone
	err := j.closeFile()
	j.closeReaders()
	return err
}

// pruneLocked deletes old segments whose deliveries are all done and
// outside the dedupe window: a segment is kept while it holds one of the
// newest DedupeCount deliveries received within DedupeAge. The segment
// the flusher writes and the ones after it are never candidates. Callers
// hold mu.
func (j *Journal) pruneLocked() error {
	segs := make([]int, 0, len(j.segIDs))
	newer := 0 // deliveries in segments newer than the one looked at
	for seg, ids := range j.segIDs {
		if seg < j.fileSeg {
			segs = append(segs, seg)
		} else {
			newer += len(ids)
		}
	}
	if len(segs) == 0 {
		return nil
	}
	sort.Ints(segs)
	cutoff := j.opts.Now().Add(-j.opts.DedupeAge)
	for i := len(segs) - 1; i >= 0; i-- {
		seg := segs[i]
		inWindow := newer < j.opts.DedupeCount && !j.segNew[seg].Before(cutoff)
		newer += len(j.segIDs[seg])
		if inWindow || j.openDeps[seg] > 0 {
			continue
		}
		j.closeReader(seg)
		path := filepath.Join(j.opts.Dir, segmentName(seg))
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("remove finished journal segment %s: %w", path, err)
		}
		for _, id := range j.segIDs[seg] {
			delete(j.seen, id)
		}
		delete(j.segIDs, seg)
		delete(j.segNew, seg)
		delete(j.openDeps, seg)
	}
	return nil
}
