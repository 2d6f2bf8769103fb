package storage

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testBucketContract runs the behavior every Bucket must have against
// the buckets newBucket makes (a fresh, empty one per call).
func testBucketContract(t *testing.T, newBucket func(t *testing.T) Bucket) {
	t.Run("write then read returns the content and attributes", func(t *testing.T) { contractWriteRead(t, newBucket(t)) })
	t.Run("a rewrite replaces content, metadata and generation", func(t *testing.T) { contractRewrite(t, newBucket(t)) })
	t.Run("a create-only write fails when the object exists", func(t *testing.T) { contractCreateOnly(t, newBucket(t)) })
	t.Run("one of concurrent create-only writes wins", func(t *testing.T) { contractCreateRace(t, newBucket(t)) })
	t.Run("a failed write leaves no object", func(t *testing.T) { contractFailedWrite(t, newBucket(t)) })
	t.Run("missing objects are ErrNotExist", func(t *testing.T) { contractNotExist(t, newBucket(t)) })
	t.Run("ranges stream parts of an object", func(t *testing.T) { contractRanges(t, newBucket(t)) })
	t.Run("listing follows GCS prefix and delimiter semantics", func(t *testing.T) { contractList(t, newBucket(t)) })
	t.Run("listing resumes after the last entry of a page", func(t *testing.T) { contractListPages(t, newBucket(t)) })
	t.Run("delete removes an object", func(t *testing.T) { contractDelete(t, newBucket(t)) })
	t.Run("invalid paths are rejected", func(t *testing.T) { contractInvalidPaths(t, newBucket(t)) })
	t.Run("WriteFile stores a local file", func(t *testing.T) { contractWriteFile(t, newBucket(t)) })
}

// contractWriteFile: a local file stored (twice under one name, once
// under another) reads back whole, with the attributes Write gives.
func contractWriteFile(t *testing.T, b Bucket) {
	file := filepath.Join(t.TempDir(), "build-log.txt")
	if err := os.WriteFile(file, []byte("the log\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var last Attrs
	for _, name := range []string{"logs/j/1/build-log.txt", "logs/j/1/build-log.txt", "logs/j/1/copy.txt"} {
		a, err := WriteFile(t.Context(), b, name, file, WriteOptions{})
		if err != nil {
			t.Fatalf("WriteFile %s: %v", name, err)
		}
		if a.Name != name || a.Size != 8 || a.ContentType != DefaultContentType(name) || a.Generation == 0 || a.Generation == last.Generation {
			t.Errorf("WriteFile %s = %+v (the write before: generation %d)", name, a, last.Generation)
		}
		if got := read(t, b, name); got != "the log\n" {
			t.Errorf("read %s = %q", name, got)
		}
		last = a
	}
	if _, err := WriteFile(t.Context(), b, "logs/j/1/missing.txt", file+".missing", WriteOptions{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("WriteFile of a missing file: err = %v, want fs.ErrNotExist", err)
	}
}

func write(t *testing.T, b Bucket, name, content string, opts WriteOptions) Attrs {
	t.Helper()
	a, err := b.Write(t.Context(), name, strings.NewReader(content), opts)
	if err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	return a
}

func read(t *testing.T, b Bucket, name string) string {
	t.Helper()
	data, err := b.Read(t.Context(), name)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return string(data)
}

func contractWriteRead(t *testing.T, b Bucket) {
	before := time.Now().Add(-time.Minute)
	opts := WriteOptions{ContentType: "text/x-test", Metadata: map[string]string{"link": "gs://b/logs/job/1"}}
	written := write(t, b, "logs/job/1/build-log.txt", "hello, world\n", opts)
	if got := read(t, b, "logs/job/1/build-log.txt"); got != "hello, world\n" {
		t.Errorf("content = %q", got)
	}
	a, err := b.Attributes(t.Context(), "logs/job/1/build-log.txt")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "logs/job/1/build-log.txt" || a.Size != 13 || a.ContentType != "text/x-test" || a.Metadata["link"] != "gs://b/logs/job/1" || len(a.Metadata) != 1 {
		t.Errorf("attributes = %+v", a)
	}
	if a.Generation == 0 || a.Generation != written.Generation || a.Size != written.Size || a.Name != written.Name {
		t.Errorf("attributes %+v differ from those of the write %+v", a, written)
	}
	if a.Updated.Before(before) || a.Updated.After(time.Now().Add(time.Minute)) {
		t.Errorf("updated = %v, want about now", a.Updated)
	}
	write(t, b, "logs/job/1/started.json", "{}", WriteOptions{})
	if a, err := b.Attributes(t.Context(), "logs/job/1/started.json"); err != nil || a.ContentType != "application/json" || a.Metadata != nil {
		t.Errorf("attributes without options = %+v, %v; want the default content type and no metadata", a, err)
	}
}

func contractRewrite(t *testing.T, b Bucket) {
	first := write(t, b, "prowjob.json", "one", WriteOptions{Metadata: map[string]string{"a": "b"}})
	second := write(t, b, "prowjob.json", "second", WriteOptions{})
	if got := read(t, b, "prowjob.json"); got != "second" {
		t.Errorf("content = %q, want the second write", got)
	}
	a, err := b.Attributes(t.Context(), "prowjob.json")
	if err != nil {
		t.Fatal(err)
	}
	if a.Generation == first.Generation || a.Generation != second.Generation || a.Metadata != nil || a.Size != 6 {
		t.Errorf("attributes after rewrite = %+v (first generation %d)", a, first.Generation)
	}
}

func contractCreateOnly(t *testing.T, b Bucket) {
	create := WriteOptions{DoesNotExist: true}
	write(t, b, "logs/job/1/finished.json", "first", create)
	_, err := b.Write(t.Context(), "logs/job/1/finished.json", strings.NewReader("second"), create)
	if !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("second create-only write: err = %v, want ErrPreconditionFailed", err)
	}
	if got := read(t, b, "logs/job/1/finished.json"); got != "first" {
		t.Errorf("content = %q, want the first write kept", got)
	}
}

func contractCreateRace(t *testing.T, b Bucket) {
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = b.Write(t.Context(), "started.json", strings.NewReader(strings.Repeat("x", i+1)), WriteOptions{DoesNotExist: true})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrPreconditionFailed):
			t.Errorf("losing write: err = %v, want ErrPreconditionFailed", err)
		}
	}
	if won != 1 {
		t.Errorf("%d writes won, want 1", won)
	}
}

// failingReader returns some data, then an error.
type failingReader struct{ sent bool }

var errBroken = errors.New("broken reader")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.sent {
		return 0, errBroken
	}
	r.sent = true
	return copy(p, "partial"), nil
}

func contractFailedWrite(t *testing.T, b Bucket) {
	_, err := b.Write(t.Context(), "artifacts/junit.xml", &failingReader{}, WriteOptions{})
	if !errors.Is(err, errBroken) {
		t.Errorf("err = %v, want the reader's error", err)
	}
	if _, err := b.Attributes(t.Context(), "artifacts/junit.xml"); !errors.Is(err, ErrNotExist) {
		t.Errorf("attributes after a failed write: err = %v, want ErrNotExist", err)
	}
}

func contractNotExist(t *testing.T, b Bucket) {
	write(t, b, "logs/job/1/started.json", "{}", WriteOptions{})
	for _, name := range []string{"missing.txt", "logs/job/1", "logs/job/1/started.json/x"} {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			if _, err := b.Read(ctx, name); !errors.Is(err, ErrNotExist) {
				t.Errorf("Read: err = %v", err)
			}
			if _, err := b.ReadRange(ctx, name, 1, 2); !errors.Is(err, ErrNotExist) {
				t.Errorf("ReadRange: err = %v", err)
			}
			if _, err := b.ReadRange(ctx, name, 0, 0); !errors.Is(err, ErrNotExist) {
				t.Errorf("ReadRange of nothing: err = %v", err)
			}
			if _, err := b.Attributes(ctx, name); !errors.Is(err, ErrNotExist) {
				t.Errorf("Attributes: err = %v", err)
			}
			if err := b.Delete(ctx, name); !errors.Is(err, ErrNotExist) {
				t.Errorf("Delete: err = %v", err)
			}
		})
	}
}

func contractRanges(t *testing.T, b Bucket) {
	const content = "0123456789"
	write(t, b, "build-log.txt", content, WriteOptions{})
	write(t, b, "empty.txt", "", WriteOptions{})
	cases := []struct {
		name           string
		object         string
		offset, length int64
		want           string
		wantErr        error
	}{
		{name: "everything", object: "build-log.txt", offset: 0, length: -1, want: content},
		{name: "a middle part", object: "build-log.txt", offset: 2, length: 3, want: "234"},
		{name: "to the end", object: "build-log.txt", offset: 7, length: -1, want: "789"},
		{name: "a length past the end is cut", object: "build-log.txt", offset: 8, length: 100, want: "89"},
		{name: "nothing", object: "build-log.txt", offset: 3, length: 0, want: ""},
		{name: "the tail", object: "build-log.txt", offset: -4, length: -1, want: "6789"},
		{name: "a tail longer than the object", object: "build-log.txt", offset: -100, length: -1, want: content},
		{name: "an empty object", object: "empty.txt", offset: 0, length: -1, want: ""},
		{name: "an offset at the end", object: "build-log.txt", offset: 10, length: -1, wantErr: ErrInvalidRange},
		{name: "an offset past the end", object: "build-log.txt", offset: 11, length: 2, wantErr: ErrInvalidRange},
		{name: "a tail with a length", object: "build-log.txt", offset: -3, length: 2, wantErr: ErrInvalidRange},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rc, err := b.ReadRange(t.Context(), tc.object, tc.offset, tc.length)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = rc.Close() }()
			got, err := io.ReadAll(rc)
			if err != nil || string(got) != tc.want {
				t.Errorf("read %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// listFixture is a bucket's worth of names for the listing tests.
var listFixture = []string{
	"logs/job/1/started.json",
	"logs/job/1/finished.json",
	"logs/job/2/started.json",
	"logs/job/latest-build.txt",
	"logs/job-b/1/x",
	"logs/joc",
	"pr-logs/directory/pull-x/3.txt",
	"top.txt",
}

func names(t *testing.T, b Bucket, opts ListOptions) []string {
	t.Helper()
	var got []string
	for e, err := range b.List(t.Context(), opts) {
		if err != nil {
			t.Fatalf("list %+v: %v", opts, err)
		}
		if e.IsPrefix != strings.HasSuffix(e.Name, "/") && opts.Delimiter == "/" {
			t.Errorf("entry %+v: a prefix entry must end in the delimiter", e)
		}
		got = append(got, e.Name)
	}
	return got
}
