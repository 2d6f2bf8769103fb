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
// (Delete removes the directories it empties). An object's update time
// and generation are its file's modification time; a sidecar file keeps
// its content type and custom metadata only when they are not the
// defaults. Several processes may share a root; the metadata of an
// object they write at the same moment may then not match its content.
// Share one Local per directory in a process (an Opener does).
type Local struct {
	dir  string
	root *os.Root
	// tmp is the directory of temporary files, meta the sidecars'.
	tmp, meta *os.Root

	// mu orders the commit of a write (content and metadata) against
	// other commits, deletes and attribute reads.
	mu      sync.RWMutex
	lastGen int64
}

// localMeta is the sidecar stored for an object written with a content
// type other than the default or with custom metadata.
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
	b := &Local{dir: abs}
	if b.root, err = os.OpenRoot(abs); err != nil {
		return nil, fmt.Errorf("open local storage %s: %w", abs, err)
	}
	for _, d := range []struct {
		name string
		root **os.Root
	}{{localMetaDir, &b.meta}, {localTmpDir, &b.tmp}} {
		err := b.root.MkdirAll(d.name, 0o755)
		if err == nil {
			*d.root, err = b.root.OpenRoot(d.name)
		}
		if err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("create %s in local storage %s: %w", d.name, abs, err)
		}
	}
	return b, nil
}

// Dir returns the absolute root directory.
func (b *Local) Dir() string { return b.dir }

// URL implements Bucket.
func (b *Local) URL(name string) string {
	return "file://" + path.Join(filepath.ToSlash(b.dir), name)
}

// Close implements Bucket.
func (b *Local) Close() error {
	var errs []error
	for _, r := range []*os.Root{b.tmp, b.meta, b.root} {
		if r != nil {
			errs = append(errs, r.Close())
		}
	}
	return errors.Join(errs...)
}

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
// place. The directories of the name are made only when the rename finds
// them missing, and the sidecar is written only for metadata other than
// the defaults: a write of a new object in an existing directory is a
// handful of system calls.
func (b *Local) Write(ctx context.Context, name string, r io.Reader, opts WriteOptions) (Attrs, error) {
	if err := b.validate(name); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	tmp, size, err := b.writeTemp(ctx, r)
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	return b.commit(ctx, name, tmp, size, opts)
}

// WriteFile implements FileWriter: a regular file on the bucket's file
// system is hard-linked into place (it must not change after), any
// other file is copied.
func (b *Local) WriteFile(ctx context.Context, name, file string, opts WriteOptions) (Attrs, error) {
	if err := b.validate(name); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	fi, err := os.Lstat(file)
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s from %s: %w", b.URL(name), file, err)
	}
	tmp := rand.Text()
	if !fi.Mode().IsRegular() || opts.DoesNotExist || os.Link(file, filepath.Join(b.dir, localTmpDir, tmp)) != nil {
		return writeFileByCopy(ctx, b, name, file, opts)
	}
	return b.commit(ctx, name, tmp, fi.Size(), opts)
}

// commit puts a temporary file of the given size in place as name, with
// its metadata.
func (b *Local) commit(ctx context.Context, name, tmp string, size int64, opts WriteOptions) (Attrs, error) {
	ct := opts.ContentType
	if ct == "" {
		ct = DefaultContentType(name)
	}
	// Gone after a rename, except a link, or a rename onto another link
	// of the same file (which does nothing).
	defer func() { _ = b.tmp.Remove(tmp) }()
	b.mu.Lock() // also keeps Delete from pruning the directory made here
	defer b.mu.Unlock()
	b.lastGen = max(time.Now().UnixNano(), b.lastGen+1)
	updated := time.Unix(0, b.lastGen).UTC()
	// The file's time is the object's update time and generation.
	if err := b.tmp.Chtimes(tmp, updated, updated); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	if err := b.place(tmp, name, opts.DoesNotExist); err != nil {
		if opts.DoesNotExist && errors.Is(err, fs.ErrExist) {
			return Attrs{}, fmt.Errorf("create %s: %w", b.URL(name), ErrPreconditionFailed)
		}
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	a := Attrs{Name: name, Size: size, ContentType: ct, Metadata: copyMetadata(opts.Metadata), Updated: updated, Generation: b.lastGen}
	if err := b.commitMeta(context.WithoutCancel(ctx), a); err != nil {
		return Attrs{}, fmt.Errorf("write metadata of %s: %w", b.URL(name), err)
	}
	return a, nil
}

// place moves (or links) a temporary file to a name in the root, making
// the name's directories when they are missing.
func (b *Local) place(tmp, name string, link bool) error {
	from := localTmpDir + "/" + tmp
	move := func() error {
		if link {
			return b.root.Link(from, name)
		}
		return b.root.Rename(from, name)
	}
	err := move()
	if dir := path.Dir(name); errors.Is(err, fs.ErrNotExist) && dir != "." {
		if err := b.root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		err = move()
	}
	return err
}

// writeTemp copies r into a new temporary file and returns its name (in
// the temporary directory) and size.
func (b *Local) writeTemp(ctx context.Context, r io.Reader) (string, int64, error) {
	name := rand.Text()
	f, err := b.tmp.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", 0, err
	}
	n, err := io.Copy(f, ctxReader{ctx: ctx, r: r})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = b.tmp.Remove(name)
		return "", 0, err
	}
	return name, n, nil
}

// commitMeta writes the sidecar of an object whose metadata is not the
// default, and removes the sidecar of an earlier write otherwise. The
// caller holds mu.
func (b *Local) commitMeta(ctx context.Context, a Attrs) error {
	if a.ContentType == DefaultContentType(a.Name) && len(a.Metadata) == 0 {
		if err := b.meta.Remove(a.Name); err != nil && !errors.Is(notExist(err), ErrNotExist) {
			return err
		}
		return nil
	}
	data, err := json.Marshal(localMeta{ContentType: a.ContentType, Metadata: a.Metadata, Updated: a.Updated, Generation: a.Generation})
	if err != nil {
		return err
	}
	tmp, _, err := b.writeTemp(ctx, bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := b.place(tmp, localMetaDir+"/"+a.Name, false); err != nil {
		_ = b.tmp.Remove(tmp)
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
	if err := checkTail(offset, length); err != nil {
		return 0, 0, err
	}
	switch {
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
