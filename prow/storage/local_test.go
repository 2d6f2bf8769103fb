package storage

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func newLocalBucket(t *testing.T) Bucket {
	b, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestLocalBucketContract(t *testing.T) {
	testBucketContract(t, newLocalBucket)
}

func TestLocalKeepsObjectsAsPlainFiles(t *testing.T) {
	dir := t.TempDir()
	b, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	write(t, b, "logs/job/1/build-log.txt", "log", WriteOptions{Metadata: map[string]string{"k": "v"}})
	data, err := os.ReadFile(filepath.Join(dir, "logs", "job", "1", "build-log.txt"))
	if err != nil || string(data) != "log" {
		t.Errorf("file = %q, %v", data, err)
	}
	if got := names(t, b, ListOptions{}); !slices.Equal(got, []string{"logs/job/1/build-log.txt"}) {
		t.Errorf("listing = %q; the metadata sidecar must not be listed", got)
	}
	if got := names(t, b, ListOptions{Delimiter: "/"}); !slices.Equal(got, []string{"logs/"}) {
		t.Errorf("top listing = %q; the backend's own directory must not be listed", got)
	}
	if got, want := b.URL("logs/job/1"), "file://"+filepath.ToSlash(b.Dir())+"/logs/job/1"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func TestLocalRejectsItsReservedDirectory(t *testing.T) {
	b := newLocalBucket(t)
	for _, name := range []string{".prow-storage", ".prow-storage/meta/x", ".prow-storage/tmp/x"} {
		if _, err := b.Write(t.Context(), name, strings.NewReader("x"), WriteOptions{}); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("write %s: err = %v, want ErrInvalidPath", name, err)
		}
		if _, err := b.Read(t.Context(), name); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("read %s: err = %v, want ErrInvalidPath", name, err)
		}
	}
}

func TestLocalFilesWrittenByHandGetDefaultAttributes(t *testing.T) {
	dir := t.TempDir()
	b, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	if err := os.WriteFile(filepath.Join(dir, "finished.json"), []byte(`{"passed":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := b.Attributes(t.Context(), "finished.json")
	if err != nil {
		t.Fatal(err)
	}
	if a.Size != 15 || a.ContentType != "application/json" || a.Generation == 0 || a.Updated.IsZero() {
		t.Errorf("attributes = %+v", a)
	}
}

func TestLocalNeverLeavesTheRoot(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	write(t, b, "inside.txt", "inside", WriteOptions{})
	for link, target := range map[string]string{
		"escape-dir":  outside,
		"escape.txt":  filepath.Join(outside, "secret.txt"),
		"relative":    "../" + filepath.Base(outside),
		"inside-link": "inside.txt", // relative: os.Root refuses absolute links
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(t, b, ListOptions{}); !slices.Equal(got, []string{"inside-link", "inside.txt"}) {
		t.Errorf("listing = %q, want only what is inside the root", got)
	}
	for _, name := range []string{"escape-dir/secret.txt", "escape.txt", "relative/secret.txt"} {
		t.Run("reading "+name+" fails", func(t *testing.T) {
			if data, err := b.Read(t.Context(), name); err == nil {
				t.Errorf("read %q through a link out of the root", data)
			}
			if rc, err := b.ReadRange(t.Context(), name, 0, -1); err == nil {
				data, _ := io.ReadAll(rc)
				_ = rc.Close()
				t.Errorf("read range %q through a link out of the root", data)
			}
			// Writing escape.txt replaces the link itself, which is fine.
			if _, err := b.Write(t.Context(), name, strings.NewReader("x"), WriteOptions{}); err == nil && name != "escape.txt" {
				t.Error("wrote through a link out of the root")
			}
		})
	}
	data, err := os.ReadFile(filepath.Join(outside, "secret.txt"))
	if err != nil || string(data) != "secret" {
		t.Errorf("the file outside changed: %q, %v", data, err)
	}
	if got := read(t, b, "inside-link"); got != "inside" {
		t.Errorf("a link inside the root reads %q", got)
	}
}

func TestLocalWriteIsInvisibleUntilComplete(t *testing.T) {
	b := newLocalBucket(t)
	pr, pw := io.Pipe()
	done := make(chan error)
	go func() {
		_, err := b.Write(t.Context(), "build-log.txt", pr, WriteOptions{})
		done <- err
	}()
	if _, err := pw.Write([]byte("first half ")); err != nil { // returns once Write has taken it
		t.Fatal(err)
	}
	if _, err := b.Attributes(t.Context(), "build-log.txt"); !errors.Is(err, ErrNotExist) {
		t.Errorf("attributes during the write: err = %v, want ErrNotExist", err)
	}
	if got := names(t, b, ListOptions{}); len(got) != 0 {
		t.Errorf("listing during the write = %q, want nothing", got)
	}
	if _, err := pw.Write([]byte("second half")); err != nil {
		t.Fatal(err)
	}
	_ = pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := read(t, b, "build-log.txt"); got != "first half second half" {
		t.Errorf("content = %q", got)
	}
}

func TestLocalDeletePrunesEmptyDirectories(t *testing.T) {
	dir := t.TempDir()
	b, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	write(t, b, "logs/job/1/started.json", "{}", WriteOptions{})
	write(t, b, "logs/other.txt", "x", WriteOptions{})
	if err := b.Delete(t.Context(), "logs/job/1/started.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "logs", "job")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("logs/job still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "logs")); err != nil {
		t.Errorf("logs is not empty and must stay: %v", err)
	}
	if got := names(t, b, ListOptions{Delimiter: "/"}); !slices.Equal(got, []string{"logs/"}) {
		t.Errorf("listing = %q", got)
	}
}

// TestLocalWriteFileLinks: a Local bucket links a file of its file
// system instead of copying it, and leaves no temporary file.
func TestLocalWriteFileLinks(t *testing.T) {
	dir := t.TempDir()
	b, err := NewLocal(filepath.Join(dir, "bucket"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	file := filepath.Join(dir, "log.txt")
	if err := os.WriteFile(file, []byte("log"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := b.WriteFile(t.Context(), "logs/j/1/build-log.txt", file, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	src, err1 := os.Stat(file)
	obj, err2 := os.Stat(filepath.Join(b.Dir(), "logs/j/1/build-log.txt"))
	if err1 != nil || err2 != nil || !os.SameFile(src, obj) {
		t.Errorf("the object is not a link of the file (%v, %v)", err1, err2)
	}
	if tmp, err := os.ReadDir(filepath.Join(b.Dir(), localTmpDir)); err != nil || len(tmp) != 0 {
		t.Errorf("temporary files left: %v, %v", tmp, err)
	}
}
