package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"os"
	"path"
	"strings"
	"time"
)

var (
	// ErrNotExist is returned (wrapped) when an object does not exist.
	ErrNotExist = errors.New("object does not exist")
	// ErrPreconditionFailed is returned (wrapped) by a create-only write
	// (WriteOptions.DoesNotExist) when the object already exists.
	ErrPreconditionFailed = errors.New("precondition failed")
	// ErrInvalidPath is returned (wrapped) for an object name or prefix
	// that ValidatePath or ValidatePrefix rejects.
	ErrInvalidPath = errors.New("invalid object path")
	// ErrInvalidRange is returned (wrapped) by ReadRange when the
	// requested range starts past the end of the object.
	ErrInvalidRange = errors.New("invalid range")
)

// Bucket stores objects under slash-separated names. Implementations are
// safe for concurrent use. Every method validates the names it is given
// and fails with ErrInvalidPath before doing any I/O.
type Bucket interface {
	// Write stores the content of r under name, replacing an existing
	// object unless opts.DoesNotExist is set. The object appears whole or
	// not at all.
	Write(ctx context.Context, name string, r io.Reader, opts WriteOptions) (Attrs, error)
	// Read returns the whole content of an object. Use ReadRange for
	// objects that may be large.
	Read(ctx context.Context, name string) ([]byte, error)
	// ReadRange streams at most length bytes of an object starting at
	// offset; a negative length reads to the end. A negative offset reads
	// the last -offset bytes (length must then be negative). An offset
	// past the end fails with ErrInvalidRange. The caller closes the
	// reader.
	ReadRange(ctx context.Context, name string, offset, length int64) (io.ReadCloser, error)
	// Attributes returns what is known about an object without reading
	// its content.
	Attributes(ctx context.Context, name string) (Attrs, error)
	// List yields the objects and common prefixes selected by opts, in
	// lexicographic byte order of Entry.Name. Iteration stops at the
	// first error, which is yielded with a zero Entry.
	List(ctx context.Context, opts ListOptions) iter.Seq2[Entry, error]
	// Delete removes an object.
	Delete(ctx context.Context, name string) error
	// URL returns the address of name in this bucket, for example
	// gs://bucket/logs/job/1 or file:///var/artifacts/logs/job/1; with an
	// empty name it returns the bucket's own address.
	URL(name string) string
	// Close releases what the bucket holds (a client, file handles).
	Close() error
}

// WriteOptions says how Bucket.Write stores an object.
type WriteOptions struct {
	// ContentType of the object; empty means DefaultContentType(name).
	ContentType string
	// Metadata is custom key/value metadata stored with the object.
	Metadata map[string]string
	// DoesNotExist makes the write create-only: it fails with
	// ErrPreconditionFailed when the object already exists.
	DoesNotExist bool
}

// Attrs describes an object.
type Attrs struct {
	// Name of the object inside its bucket.
	Name string
	// Size in bytes.
	Size int64
	// ContentType as stored.
	ContentType string
	// Metadata is the custom metadata stored with the object (nil when
	// there is none).
	Metadata map[string]string
	// Updated is when the object was last written.
	Updated time.Time
	// Generation changes on every write of the object.
	Generation int64
}

// ListOptions selects the entries Bucket.List yields.
type ListOptions struct {
	// Prefix selects names that start with it; empty selects everything.
	// It is usually a directory ending in "/", but need not be.
	Prefix string
	// Delimiter, when set (usually "/"), folds the names that contain it
	// after Prefix into one prefix entry per distinct part up to and
	// including its first occurrence.
	Delimiter string
	// StartAfter yields only entries whose names sort after it: pass the
	// last name of a page to get the next one. When it ends in Delimiter
	// it is taken as a prefix entry and everything under it is skipped.
	StartAfter string
}

// Entry is one result of Bucket.List: an object or a common prefix.
type Entry struct {
	// Name is the object name, or the common prefix (ending in the
	// delimiter) when IsPrefix is set.
	Name string
	// IsPrefix marks a "directory": a common prefix of other objects.
	IsPrefix bool
	// Size of the object (zero for a prefix).
	Size int64
	// Updated is when the object was last written (zero for a prefix).
	Updated time.Time
}

// textTypes are content types set for Prow's well known text files,
// independently of the machine's MIME tables.
var textTypes = map[string]string{
	".txt":  "text/plain; charset=utf-8",
	".log":  "text/plain; charset=utf-8",
	".json": "application/json",
	".xml":  "application/xml",
	".html": "text/html; charset=utf-8",
}

// DefaultContentType is the content type Write stores when
// WriteOptions.ContentType is empty: chosen by the name's extension,
// application/octet-stream when unknown.
func DefaultContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := textTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// after returns whether an entry name passes o.StartAfter.
func (o ListOptions) after(name string) bool {
	if o.StartAfter == "" {
		return true
	}
	if name <= o.StartAfter {
		return false
	}
	if o.Delimiter != "" && strings.HasSuffix(o.StartAfter, o.Delimiter) && strings.HasPrefix(name, o.StartAfter) {
		return false
	}
	return true
}

// startOffset is the smallest name a listing that honors StartAfter
// needs to look at: past the whole prefix when StartAfter is one.
func (o ListOptions) startOffset() string {
	s := o.StartAfter
	if s == "" || o.Delimiter == "" || !strings.HasSuffix(s, o.Delimiter) {
		return s
	}
	last := s[len(s)-1]
	if last == 0xff {
		return s
	}
	return s[:len(s)-1] + string([]byte{last + 1})
}

// copyMetadata returns a copy of m, nil when m is empty.
func copyMetadata(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// FileWriter is a Bucket that stores a local file as an object more
// cheaply than by reading it through Write.
type FileWriter interface {
	// WriteFile stores the file as name; the file must not change
	// after.
	WriteFile(ctx context.Context, name, file string, opts WriteOptions) (Attrs, error)
}

// WriteFile stores a local file, which must not change after, as an
// object: through FileWriter when b is one (a Local bucket hard-links
// it), else by reading it.
func WriteFile(ctx context.Context, b Bucket, name, file string, opts WriteOptions) (Attrs, error) {
	if fw, ok := b.(FileWriter); ok {
		return fw.WriteFile(ctx, name, file, opts)
	}
	return writeFileByCopy(ctx, b, name, file, opts)
}

func writeFileByCopy(ctx context.Context, b Bucket, name, file string, opts WriteOptions) (Attrs, error) {
	f, err := os.Open(file)
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s from %s: %w", b.URL(name), file, err)
	}
	defer func() { _ = f.Close() }()
	return b.Write(ctx, name, f, opts)
}

// readAll reads the whole object name of b through its ReadRange, with
// mapErr turning a read error of the backend into this package's.
func readAll(ctx context.Context, b Bucket, name string, mapErr func(error) error) ([]byte, error) {
	rc, err := b.ReadRange(ctx, name, 0, -1)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), mapErr(err))
	}
	return data, nil
}

// checkTail is ReadRange's rule for a tail: a negative offset reads to
// the end, so it takes a negative length.
func checkTail(offset, length int64) error {
	if offset < 0 && length >= 0 {
		return fmt.Errorf("negative offset %d needs a negative length, got %d: %w", offset, length, ErrInvalidRange)
	}
	return nil
}
