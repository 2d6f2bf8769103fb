package journal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Journal.
type Options struct {
	// Dir holds the journal's segment files; it is created if missing.
	Dir string
	// SegmentSize is the size after which a new segment file is started
	// (default 64 MiB).
	SegmentSize int64
	// DedupeCount and DedupeAge bound the window in which a delivery ID
	// seen before is recognized (GitHub redeliveries): the IDs of at
	// least the newest DedupeCount deliveries (default 50,000) that are
	// younger than DedupeAge (default 72h, as long as GitHub offers a
	// delivery for redelivery) are kept, whatever the number of restarts.
	// A segment is deleted once all its deliveries are done and outside
	// the window.
	DedupeCount int
	DedupeAge   time.Duration
	// MemoryBudget bounds the bytes of payloads held in memory for
	// deliveries waiting for a worker (default 64 MiB); past it, waiting
	// deliveries are read back from the segment files when their turn
	// comes, so a backlog costs disk, not memory.
	MemoryBudget int64
	// Now is the clock (tests).
	Now func() time.Time
	// By default Append returns once the delivery is written to its
	// segment (the kernel has it: it survives the process being killed)
	// and a syncer makes each write durable on disk right after, while
	// the next batch is written. SyncBeforeAck makes Append wait for
	// that fdatasync too, so a delivery acknowledged survives a crash of
	// the machine, at the cost of the disk's flush latency in every
	// acknowledgement. NoSync never syncs.
	SyncBeforeAck bool
	NoSync        bool
}

// Journal is an append-only log of deliveries and their completion.
//
// Appends copy their frame into the batch being gathered; the first that
// finds nobody writing writes the batch itself, with one write per
// segment, and the others wait for it. A flusher goroutine writes what is
// left, and a syncer makes each write durable with one fdatasync while
// the next batch is written. No caller waits on another's disk write to
// queue its own.
type Journal struct {
	opts Options

	mu       sync.Mutex
	seg      int               // the segment new frames go to
	segSize  int64             // its size once the queued frames are written
	fileSeg  int               // the segment the flusher writes (set with mu)
	segIDs   map[int][]string  // every delivery ID a segment holds
	segNew   map[int]time.Time // when a segment's newest delivery was received
	seen     map[string]int    // delivery ID -> segment it is in
	pending  map[string]int    // delivery ID -> segment, not yet done
	openDeps map[int]int       // segment -> deliveries not yet done
	cur      *batch            // frames queued for the next flush
	spare    [][]byte          // written batches' buffers, for reuse
	closed   bool
	writing  bool  // a goroutine is writing batches (flush.go)
	failed   error // a write or sync failed: nothing more is taken

	// The segment file, owned by the goroutine holding writing (and by
	// Close once the flusher has stopped).
	f        *os.File
	unsynced *os.File // written by the flusher, for the syncer (set with mu)
	fileSize int64    // where the next write goes
	filled   int64    // the file's size, zeros past fileSize included

	kick        chan struct{} // wakes the flusher
	flusherDone chan struct{}
	syncKick    chan struct{} // wakes the syncer (written, not yet synced)
	syncerDone  chan struct{}
	frames      sync.Pool  // reusable *frameBufs for framing deliveries
	idle        *sync.Cond // signaled (with mu) when a delivery is done

	// The deliveries waiting for a worker, oldest first (queue.go).
	queue    []ref
	qHead    int
	inMemory int64      // payload bytes the queue holds in memory
	queued   *sync.Cond // signaled (with mu) when a delivery is queued or the queue stops
	draining bool       // Next returns ErrDrained once the queue is empty
	replayed int        // deliveries Open queued from an earlier run

	// Read handles of the segments, for deliveries read back from disk.
	rmu     sync.Mutex
	readers map[int]*os.File
}

// ErrClosed is returned after Close.
var ErrClosed = errors.New("journal closed")

// Open opens (or creates) the journal in opts.Dir. The deliveries that
// were recorded but never marked done are queued for Next, oldest first,
// ahead of new ones; replayed is their number.
func Open(opts Options) (j *Journal, replayed int, err error) {
	if opts.Dir == "" {
		return nil, 0, errors.New("journal: a directory is required")
	}
	if opts.SegmentSize <= 0 {
		opts.SegmentSize = 64 << 20
	}
	if opts.DedupeCount <= 0 {
		opts.DedupeCount = 50_000
	}
	if opts.DedupeAge <= 0 {
		opts.DedupeAge = 72 * time.Hour
	}
	if opts.MemoryBudget <= 0 {
		opts.MemoryBudget = 64 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
		return nil, 0, fmt.Errorf("create journal dir %s: %w", opts.Dir, err)
	}
	j = &Journal{opts: opts, segIDs: map[int][]string{}, segNew: map[int]time.Time{}, seen: map[string]int{}, pending: map[string]int{},
		openDeps: map[int]int{}, readers: map[int]*os.File{}, kick: make(chan struct{}, 1), flusherDone: make(chan struct{}),
		syncKick: make(chan struct{}, 1), syncerDone: make(chan struct{})}
	j.cur = newBatch()
	j.idle = sync.NewCond(&j.mu)
	j.queued = sync.NewCond(&j.mu)
	segs, err := j.segments()
	if err != nil {
		return nil, 0, err
	}
	var unfinished []ref
	for _, seg := range segs {
		refs, err := j.replaySegment(seg)
		if err != nil {
			j.closeReaders()
			return nil, 0, err
		}
		unfinished = append(unfinished, refs...)
	}
	// Only deliveries still pending count: a later done frame may have
	// finished one read earlier.
	for _, r := range unfinished {
		if _, ok := j.pending[r.id]; ok {
			j.queue = append(j.queue, r)
		}
	}
	j.replayed = len(j.queue)
	next := 1
	if len(segs) > 0 {
		next = segs[len(segs)-1] + 1
	}
	if err := j.openSegment(next); err != nil {
		j.closeReaders()
		return nil, 0, err
	}
	j.seg, j.segSize, j.fileSeg = next, j.fileSize, next
	go j.flusher()
	go j.syncer()
	return j, j.replayed, nil
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

// replaySegment reads one segment, truncating a torn tail left by a
// crash, and returns where its deliveries are.
func (j *Journal) replaySegment(seg int) ([]ref, error) {
	path := filepath.Join(j.opts.Dir, segmentName(seg))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("open journal segment %s: %w", path, err)
	}
	defer f.Close()
	r := &countingReader{r: bufio.NewReaderSize(f, 1<<20)}
	var refs []ref
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
			j.track(rec.ID, seg, rec.Received)
			refs = append(refs, ref{id: rec.ID, seg: seg, off: start, size: int(r.n - start), received: rec.Received, replayed: true})
		case kindDone:
			j.finish(string(payload))
		}
	}
	if _, ok := j.segIDs[seg]; !ok {
		j.segIDs[seg] = nil
	}
	return refs, nil
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

// track records a new pending delivery in seg, received at the given
// time. Callers hold mu (or own j).
func (j *Journal) track(id string, seg int, received time.Time) {
	j.seen[id] = seg
	j.pending[id] = seg
	j.segIDs[seg] = append(j.segIDs[seg], id)
	j.openDeps[seg]++
	if received.After(j.segNew[seg]) {
		j.segNew[seg] = received
	}
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
