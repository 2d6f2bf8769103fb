package journal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Options configure a Journal.
type Options struct {
	// Dir holds the journal's segment files; it is created if missing.
	Dir string
	// SegmentSize is the size after which a new segment file is started
	// (default 64 MiB).
	SegmentSize int64
	// KeepSegments is how many finished segments are kept to recognize
	// redeliveries (default 4).
	KeepSegments int
	// NoSync skips fsync: deliveries then survive a killed process (the
	// kernel has them) but not a machine crash.
	NoSync bool
}

// Journal is an append-only log of deliveries and their completion.
//
// Appends copy their frame into the batch being gathered and wait; one
// flusher goroutine writes each batch with one write per segment and
// makes it durable with one fsync, while the next batch gathers. No
// caller waits on another's disk write to queue its own.
type Journal struct {
	opts Options

	mu       sync.Mutex
	seg      int              // the segment new frames go to
	segSize  int64            // its size once the queued frames are written
	fileSeg  int              // the segment the flusher writes (set with mu)
	segIDs   map[int][]string // every delivery ID a segment holds
	seen     map[string]int   // delivery ID -> segment it is in
	pending  map[string]int   // delivery ID -> segment, not yet done
	openDeps map[int]int      // segment -> deliveries not yet done
	cur      *batch           // frames queued for the next flush
	spare    [][]byte         // written batches' buffers, for reuse
	closed   bool
	failed   error // a write or sync failed: nothing more is taken

	// The segment file, owned by the flusher (and by Close once the
	// flusher has stopped).
	f        *os.File
	fileSize int64 // where the next write goes
	filled   int64 // the file's size, zeros past fileSize included

	kick        chan struct{} // wakes the flusher
	flusherDone chan struct{}
	frames      sync.Pool  // reusable *frameBufs for framing deliveries
	idle        *sync.Cond // signaled (with mu) when a delivery is done
}

// ErrClosed is returned after Close.
var ErrClosed = errors.New("journal closed")

// Open opens (or creates) the journal in opts.Dir and returns the
// deliveries that were recorded but never marked done, oldest first.
func Open(opts Options) (*Journal, []Record, error) {
	if opts.Dir == "" {
		return nil, nil, errors.New("journal: a directory is required")
	}
	if opts.SegmentSize <= 0 {
		opts.SegmentSize = 64 << 20
	}
	if opts.KeepSegments <= 0 {
		opts.KeepSegments = 4
	}
	if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("create journal dir %s: %w", opts.Dir, err)
	}
	j := &Journal{opts: opts, segIDs: map[int][]string{}, seen: map[string]int{}, pending: map[string]int{}, openDeps: map[int]int{},
		kick: make(chan struct{}, 1), flusherDone: make(chan struct{})}
	j.cur = newBatch()
	j.idle = sync.NewCond(&j.mu)
	segs, err := j.segments()
	if err != nil {
		return nil, nil, err
	}
	var unfinished []Record
	for _, seg := range segs {
		recs, err := j.replaySegment(seg)
		if err != nil {
			return nil, nil, err
		}
		unfinished = append(unfinished, recs...)
	}
	// Only deliveries still pending count: a later done frame may have
	// finished one read earlier.
	out := unfinished[:0]
	for _, rec := range unfinished {
		if _, ok := j.pending[rec.ID]; ok {
			rec.Replayed = true
			out = append(out, rec)
		}
	}
	next := 1
	if len(segs) > 0 {
		next = segs[len(segs)-1] + 1
	}
	if err := j.openSegment(next); err != nil {
		return nil, nil, err
	}
	j.seg, j.segSize, j.fileSeg = next, j.fileSize, next
	go j.flusher()
	return j, out, nil
}

func segmentName(n int) string { return fmt.Sprintf("deliveries-%08d.log", n) }

// segments lists the segment numbers on disk, in order.
func (j *Journal) segments() ([]int, error) {
	entries, err := os.ReadDir(j.opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("list journal dir %s: %w", j.opts.Dir, err)
	}
	var out []int
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "deliveries-") || !strings.HasSuffix(name, ".log") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "deliveries-"), ".log"))
		if err == nil {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

// replaySegment reads one segment, truncating a torn tail left by a crash.
func (j *Journal) replaySegment(seg int) ([]Record, error) {
	path := filepath.Join(j.opts.Dir, segmentName(seg))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("open journal segment %s: %w", path, err)
	}
	defer f.Close()
	r := &countingReader{r: f}
	var recs []Record
	for {
		start := r.n
		kind, payload, err := readFrame(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if terr := f.Truncate(start); terr != nil {
				return nil, fmt.Errorf("truncate torn journal segment %s: %w", path, terr)
			}
			break
		}
		switch kind {
		case kindDelivery, kindDeliveryS2:
			rec, err := decodeFrame(kind, payload)
			if err != nil {
				return nil, fmt.Errorf("journal segment %s: %w", path, err)
			}
			if _, dup := j.seen[rec.ID]; dup {
				continue
			}
			j.track(rec.ID, seg)
			recs = append(recs, rec)
		case kindDone:
			j.finish(string(payload))
		}
	}
	if _, ok := j.segIDs[seg]; !ok {
		j.segIDs[seg] = nil
	}
	return recs, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// track records a new pending delivery in seg. Callers hold mu (or own j).
func (j *Journal) track(id string, seg int) {
	j.seen[id] = seg
	j.pending[id] = seg
	j.segIDs[seg] = append(j.segIDs[seg], id)
	j.openDeps[seg]++
}

// finish marks a delivery done. Callers hold mu (or own j).
func (j *Journal) finish(id string) bool {
	seg, ok := j.pending[id]
	if !ok {
		return false
	}
	delete(j.pending, id)
	j.openDeps[seg]--
	return true
}

// openSegment opens (or creates) segment n for the flusher to write.
func (j *Journal) openSegment(n int) error {
	path := filepath.Join(j.opts.Dir, segmentName(n))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("open journal segment %s: %w", path, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("stat journal segment %s: %w", path, err)
	}
	j.f, j.fileSize, j.filled = f, info.Size(), info.Size()
	return nil
}
