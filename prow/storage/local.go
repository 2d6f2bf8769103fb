package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// localReserved is the directory at the top of a local root that holds
// the backend's own files: object metadata under meta/ (a tree that
// mirrors the objects) and temporary files under tmp/. It is never
// listed, and object names starting with it are rejected.
const localReserved = ".prow-storage"

var (
	localMetaDir = localReserved + "/meta"
	localTmpDir  = localReserved + "/tmp"
)

// Local is a Bucket kept in a directory: an object is a file at its name
// under the root, so the tree can be browsed with ordinary tools. All
// file access goes through os.Root, so neither names nor symbolic links
// reach outside the root: relative links that stay inside are followed,
// absolute ones and those that climb out fail. Listings do not descend
// into linked directories. A name cannot be both an object and a
// directory prefix ("a" and "a/b"), unlike GCS. Listing with the "/"
// delimiter reports every directory as a prefix, even an empty one
// (Delete removes the directories it empties). Several processes may
// share a root; the metadata of an object they write at the same moment
// may then not match its content.
type Local struct {
	dir  string
	root *os.Root

	// mu orders the commit of a write (content and metadata) against
	// other commits, deletes and attribute reads.
	mu      sync.RWMutex
	lastGen int64
}

// localMeta is the sidecar stored for each object.
type localMeta struct {
	ContentType string            `json:"contentType"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	Updated     time.Time         `json:"updated"`
	Generation  int64             `json:"generation"`
}

// NewLocal opens (creating it when missing) a directory as a Bucket.
func NewLocal(dir string) (*Local, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("local storage %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("create local storage %s: %w", abs, err)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("open local storage %s: %w", abs, err)
	}
	for _, d := range []string{localMetaDir, localTmpDir} {
		if err := root.MkdirAll(d, 0o755); err != nil {
			_ = root.Close()
			return nil, fmt.Errorf("create %s in local storage %s: %w", d, abs, err)
		}
	}
	return &Local{dir: abs, root: root}, nil
}

// Dir returns the absolute root directory.
func (b *Local) Dir() string { return b.dir }

// URL implements Bucket.
func (b *Local) URL(name string) string {
	return "file://" + path.Join(filepath.ToSlash(b.dir), name)
}

// Close implements Bucket.
func (b *Local) Close() error { return b.root.Close() }

func (b *Local) validate(name string) error {
	if err := ValidatePath(name); err != nil {
		return err
	}
	if name == localReserved || strings.HasPrefix(name, localReserved+"/") {
		return fmt.Errorf("object name %q is reserved by the local backend: %w", name, ErrInvalidPath)
	}
	return nil
}

// Write implements Bucket: the content goes to a temporary file first,
// which is then renamed (or, for a create-only write, hard-linked) into
// place.
func (b *Local) Write(ctx context.Context, name string, r io.Reader, opts WriteOptions) (Attrs, error) {
	if err := b.validate(name); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	tmp, err := b.writeTemp(ctx, r)
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	defer func() { _ = b.root.Remove(tmp) }() // gone already after a rename
	ct := opts.ContentType
	if ct == "" {
		ct = DefaultContentType(name)
	}
	b.mu.Lock() // also keeps Delete from pruning the directory made here
	defer b.mu.Unlock()
	if dir := path.Dir(name); dir != "." {
		if err := b.root.MkdirAll(dir, 0o755); err != nil {
			return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
		}
	}
	if opts.DoesNotExist {
		err = b.root.Link(tmp, name)
		if errors.Is(err, fs.ErrExist) {
			return Attrs{}, fmt.Errorf("create %s: %w", b.URL(name), ErrPreconditionFailed)
		}
	} else {
		err = b.root.Rename(tmp, name)
	}
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	now := time.Now().UTC()
	_ = b.root.Chtimes(name, now, now) // so that listings show the same time
	b.lastGen = max(now.UnixNano(), b.lastGen+1)
	meta := localMeta{ContentType: ct, Metadata: copyMetadata(opts.Metadata), Updated: now, Generation: b.lastGen}
	if err := b.writeMeta(context.WithoutCancel(ctx), name, meta); err != nil {
		return Attrs{}, fmt.Errorf("write metadata of %s: %w", b.URL(name), err)
	}
	return b.attrs(name)
}

// writeTemp copies r into a new temporary file and returns its name.
func (b *Local) writeTemp(ctx context.Context, r io.Reader) (string, error) {
	name := localTmpDir + "/" + rand.Text()
	f, err := b.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, ctxReader{ctx: ctx, r: r})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = b.root.Remove(name)
		return "", err
	}
	return name, nil
}

func (b *Local) writeMeta(ctx context.Context, name string, meta localMeta) error {
	data, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	target := localMetaDir + "/" + name
	if err := b.root.MkdirAll(path.Dir(target), 0o755); err != nil {
		return err
	}
	tmp, err := b.writeTemp(ctx, bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := b.root.Rename(tmp, target); err != nil {
		_ = b.root.Remove(tmp)
		return err
	}
	return nil
}

// open opens the regular file of an object.
func (b *Local) open(name string) (*os.File, fs.FileInfo, error) {
	if err := b.validate(name); err != nil {
		return nil, nil, err
	}
	f, err := b.root.Open(name)
	if err != nil {
		return nil, nil, notExist(err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, nil, ErrNotExist
	}
	return f, fi, nil
}

// Read implements Bucket.
func (b *Local) Read(_ context.Context, name string) ([]byte, error) {
	f, _, err := b.open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	return data, nil
}

// ReadRange implements Bucket.
func (b *Local) ReadRange(_ context.Context, name string, offset, length int64) (io.ReadCloser, error) {
	f, fi, err := b.open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	start, n, err := resolveRange(fi.Size(), offset, length)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(f, start, n), f}, nil
}

// resolveRange turns ReadRange's offset and length into a start and a
// byte count within an object of the given size.
func resolveRange(size, offset, length int64) (start, n int64, err error) {
	switch {
	case offset < 0 && length >= 0:
		return 0, 0, fmt.Errorf("negative offset %d needs a negative length, got %d: %w", offset, length, ErrInvalidRange)
	case offset < 0:
		start = max(size+offset, 0)
		return start, size - start, nil
	case offset > size || (offset == size && size > 0):
		return 0, 0, fmt.Errorf("offset %d is past the end of %d bytes: %w", offset, size, ErrInvalidRange)
	case length < 0 || offset+length > size:
		return offset, size - offset, nil
	default:
		return offset, length, nil
	}
}

// Attributes implements Bucket.
func (b *Local) Attributes(_ context.Context, name string) (Attrs, error) {
	if err := b.validate(name); err != nil {
		return Attrs{}, fmt.Errorf("attributes of %s: %w", b.URL(name), err)
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	a, err := b.attrs(name)
	if err != nil {
		return Attrs{}, fmt.Errorf("attributes of %s: %w", b.URL(name), err)
	}
	return a, nil
}

// attrs reads an object's attributes; the caller holds b.mu. An object
// written by another process without metadata gets defaults from its
// file.
func (b *Local) attrs(name string) (Attrs, error) {
	fi, err := b.root.Stat(name)
	if err != nil {
		return Attrs{}, notExist(err)
	}
	if !fi.Mode().IsRegular() {
		return Attrs{}, ErrNotExist
	}
	a := Attrs{Name: name, Size: fi.Size(), ContentType: DefaultContentType(name), Updated: fi.ModTime().UTC(), Generation: fi.ModTime().UnixNano()}
	data, err := b.root.ReadFile(localMetaDir + "/" + name)
	if err != nil {
		return a, nil // missing or unreadable metadata leaves the defaults
	}
	var meta localMeta
	if json.Unmarshal(data, &meta) != nil {
		return a, nil
	}
	a.ContentType, a.Metadata, a.Updated, a.Generation = meta.ContentType, meta.Metadata, meta.Updated, meta.Generation
	return a, nil
}

// Delete implements Bucket; it removes directories left empty.
func (b *Local) Delete(_ context.Context, name string) error {
	if err := b.validate(name); err != nil {
		return fmt.Errorf("delete %s: %w", b.URL(name), err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fi, err := b.root.Lstat(name)
	if err != nil {
		return fmt.Errorf("delete %s: %w", b.URL(name), notExist(err))
	}
	if fi.IsDir() {
		return fmt.Errorf("delete %s: %w", b.URL(name), ErrNotExist)
	}
	if err := b.root.Remove(name); err != nil {
		return fmt.Errorf("delete %s: %w", b.URL(name), notExist(err))
	}
	_ = b.root.Remove(localMetaDir + "/" + name)
	b.pruneDirs(path.Dir(name), ".")
	b.pruneDirs(path.Dir(localMetaDir+"/"+name), localMetaDir)
	return nil
}

// pruneDirs removes dir and its parents up to (not including) stop while
// they are empty.
func (b *Local) pruneDirs(dir, stop string) {
	for dir != stop && dir != "." {
		if b.root.Remove(dir) != nil {
			return
		}
		dir = path.Dir(dir)
	}
}

// notExist maps the errors of a missing file (or of a file used as a
// directory) to ErrNotExist.
func notExist(err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return ErrNotExist
	}
	return err
}

// ctxReader stops a copy when its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// List implements Bucket.
func (b *Local) List(ctx context.Context, opts ListOptions) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		entries, err := b.list(ctx, opts)
		if err != nil {
			yield(Entry{}, fmt.Errorf("list %s: %w", b.URL(opts.Prefix), err))
			return
		}
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}
