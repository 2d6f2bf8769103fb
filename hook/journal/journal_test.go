package journal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func rec(id string, body string) Record {
	return Record{ID: id, Event: "pull_request", Body: []byte(body), Received: time.Unix(1700000000, 0),
		Header: http.Header{"X-Github-Event": {"pull_request"}, "X-Hub-Signature-256": {"sha256=abc"}}}
}

// open opens a journal and takes the deliveries it replays from its
// queue.
func open(t *testing.T, opts Options) (*Journal, []Record) {
	t.Helper()
	j, n, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]Record, 0, n)
	for range n {
		rec, err := j.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Replayed {
			t.Errorf("delivery %s replayed without the mark", rec.ID)
		}
		recs = append(recs, rec)
	}
	return j, recs
}

func TestUnfinishedDeliveriesComeBackAfterReopen(t *testing.T) {
	dir := t.TempDir()
	j, recs := open(t, Options{Dir: dir})
	if len(recs) != 0 {
		t.Fatalf("a new journal returned %d records", len(recs))
	}
	for _, id := range []string{"a", "b", "c"} {
		if dup, err := j.Append(rec(id, "body-"+id)); err != nil || dup {
			t.Fatalf("Append(%s) = %v, %v", id, dup, err)
		}
	}
	if err := j.Done("b"); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	j2, recs := open(t, Options{Dir: dir})
	defer j2.Close()
	if len(recs) != 2 || recs[0].ID != "a" || recs[1].ID != "c" {
		t.Fatalf("replayed %v, want a and c", ids(recs))
	}
	got := recs[0]
	if string(got.Body) != "body-a" || got.Event != "pull_request" || got.Header.Get("X-Hub-Signature-256") != "sha256=abc" || !got.Received.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("record not kept intact: %+v", got)
	}
	if dup, _ := j2.Append(rec("b", "again")); !dup {
		t.Error("a redelivery of a handled ID should be recognized")
	}
	if dup, _ := j2.Append(rec("a", "again")); !dup {
		t.Error("a redelivery of a pending ID should be recognized")
	}
}

func TestATornTailIsCutOff(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, Options{Dir: dir})
	if _, err := j.Append(rec("whole", "x")); err != nil {
		t.Fatal(err)
	}
	j.Close()
	path := filepath.Join(dir, segmentName(1))
	frame := appendFrame(nil, kindDelivery, encodeDelivery(rec("torn", "yyyy")))
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(frame[:len(frame)-3]); err != nil { // a crash in the middle of a write
		t.Fatal(err)
	}
	f.Close()

	j2, recs := open(t, Options{Dir: dir})
	if len(recs) != 1 || recs[0].ID != "whole" {
		t.Fatalf("replayed %v, want only the whole record", ids(recs))
	}
	if _, err := j2.Append(rec("after", "z")); err != nil {
		t.Fatal(err)
	}
	j2.Close()
	_, recs = open(t, Options{Dir: dir})
	if len(recs) != 2 || recs[1].ID != "after" {
		t.Fatalf("after truncation replayed %v, want whole and after", ids(recs))
	}
}

// TestDeliveriesOfAnEarlierVersionReplay: segments written before
// deliveries were compressed hold them uncompressed; they still replay,
// next to compressed ones.
func TestDeliveriesOfAnEarlierVersionReplay(t *testing.T) {
	dir := t.TempDir()
	old := appendFrame(nil, kindDelivery, encodeDelivery(rec("old", "an uncompressed body")))
	old = appendFrame(old, kindDelivery, encodeDelivery(rec("old-done", "x")))
	old = appendFrame(old, kindDone, []byte("old-done"))
	if err := os.WriteFile(filepath.Join(dir, segmentName(1)), old, 0o640); err != nil {
		t.Fatal(err)
	}
	j, recs := open(t, Options{Dir: dir})
	if len(recs) != 1 || recs[0].ID != "old" || string(recs[0].Body) != "an uncompressed body" {
		t.Fatalf("replayed %v, want old with its body", ids(recs))
	}
	body := bytes.Repeat([]byte(`{"action":"opened","number":1}`), 100)
	if _, err := j.Append(rec("new", string(body))); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, segmentName(2))); err != nil || fi.Size() > int64(len(body))/4 {
		t.Errorf("the new delivery was not stored compressed: %v, %v", fi, err)
	}
	_, recs = open(t, Options{Dir: dir})
	if got := ids(recs); len(got) != 2 || got[0] != "old" || got[1] != "new" || !bytes.Equal(recs[1].Body, body) {
		t.Fatalf("replayed %v, want old and new, intact", got)
	}
}

func TestSegmentsRotateAndFinishedOnesArePruned(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, Options{Dir: dir, SegmentSize: 1024, DedupeCount: 3, NoSync: true})
	body := string(incompressible(400))
	for i := 0; i < 30; i++ {
		id := fmt.Sprint("d", i)
		if _, err := j.Append(rec(id, body)); err != nil {
			t.Fatal(err)
		}
		if i != 3 { // d3 stays pending: its segment must survive
			if err := j.Done(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	segs, _ := j.segments()
	if len(segs) > 5 {
		t.Errorf("%d segments on disk, want old finished ones pruned", len(segs))
	}
	j.Close()
	_, recs := open(t, Options{Dir: dir})
	if len(recs) != 1 || recs[0].ID != "d3" {
		t.Fatalf("replayed %v, want d3", ids(recs))
	}
}

func TestConcurrentAppendsAreAllDurable(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts Options
	}{
		{"acknowledged once written, synced behind", Options{}},
		{"acknowledged once synced", Options{SyncBeforeAck: true}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			opts := mode.opts
			opts.Dir, opts.SegmentSize = t.TempDir(), 64<<10
			j, _ := open(t, opts)
			var wg sync.WaitGroup
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < 50; i++ {
						if _, err := j.Append(rec(fmt.Sprintf("w%d-%d", w, i), "payload")); err != nil {
							t.Error(err)
							return
						}
					}
				}(w)
			}
			wg.Wait()
			if n := j.Pending(); n != 400 {
				t.Errorf("pending = %d, want 400", n)
			}
			j.Close()
			_, recs := open(t, opts)
			if len(recs) != 400 {
				t.Errorf("replayed %d, want 400", len(recs))
			}
		})
	}
}

func TestClosedJournalRefusesWrites(t *testing.T) {
	j, _ := open(t, Options{Dir: t.TempDir()})
	j.Close()
	if _, err := j.Append(rec("x", "")); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close = %v, want ErrClosed", err)
	}
}

func ids(recs []Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// TestAPrefilledSegmentReplaysAfterACrash: with SyncBeforeAck, a segment
// is filled with zeros ahead of its deliveries; a crash (no Close) leaves them, replay
// reads them as the end, and Close and rotation cut them off.
func TestAPrefilledSegmentReplaysAfterACrash(t *testing.T) {
	dir := t.TempDir()
	j, _ := open(t, Options{Dir: dir, SegmentSize: 1 << 20, SyncBeforeAck: true})
	for i := range 3 {
		if _, err := j.Append(rec(fmt.Sprint("d", i), "body")); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, segmentName(1))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() < prefillChunk {
		t.Errorf("segment of %d bytes: not filled ahead of its deliveries", fi.Size())
	}
	// A copy of the directory as a crash leaves it: zeros after the last
	// delivery.
	crashed := t.TempDir()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(crashed, segmentName(1)), data, 0o640); err != nil {
		t.Fatal(err)
	}
	j2, recs := open(t, Options{Dir: crashed})
	if got := ids(recs); len(got) != 3 || got[0] != "d0" || got[2] != "d2" {
		t.Fatalf("after a crash replayed %v, want d0 d1 d2", got)
	}
	if fi, err := os.Stat(filepath.Join(crashed, segmentName(1))); err != nil || fi.Size() >= prefillChunk {
		t.Errorf("the zeros after the deliveries were not cut off on replay: %v, %v", fi, err)
	}
	if err := j2.Close(); err != nil {
		t.Fatal(err)
	}
	// Rotation (past 1 MiB) and Close cut the zeros off. The bodies are
	// random, so compression does not shrink them below the segment size.
	big := string(incompressible(600 << 10))
	for i := range 2 {
		if _, err := j.Append(rec(fmt.Sprint("big", i), big)); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	for _, seg := range []int{1, 2} {
		fi, err := os.Stat(filepath.Join(dir, segmentName(seg)))
		if err != nil || fi.Size() >= prefillChunk {
			t.Errorf("segment %d after rotation and Close: %v, %v", seg, fi, err)
		}
	}
	_, recs = open(t, Options{Dir: dir})
	if len(recs) != 5 {
		t.Errorf("replayed %v, want the 5 deliveries", ids(recs))
	}
}

// incompressible is n random bytes.
func incompressible(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(b)
	return b
}

// TestAFailedWriteIsReportedAndSticks: a delivery whose write fails gets
// the error, and so does every later one (the segment's end is unknown),
// instead of a 2xx for a delivery not on disk.
func TestAFailedWriteIsReportedAndSticks(t *testing.T) {
	j, _ := open(t, Options{Dir: t.TempDir()})
	if _, err := j.Append(rec("before", "x")); err != nil {
		t.Fatal(err)
	}
	_ = j.f.Close() // the disk goes away under the flusher
	if _, err := j.Append(rec("lost", "x")); err == nil {
		t.Fatal("Append succeeded though its write failed")
	}
	if _, err := j.Append(rec("after", "x")); err == nil {
		t.Fatal("Append succeeded after a failed write")
	}
	if err := j.Done("before"); err == nil {
		t.Error("Done succeeded after a failed write")
	}
}
