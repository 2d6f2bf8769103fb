package storage

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// startFakeGCS starts fake-gcs-server in-process on a local port.
func startFakeGCS(t *testing.T) *fakestorage.Server {
	t.Helper()
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		Scheme: "http",
		Host:   "127.0.0.1",
		Port:   0,
		Writer: io.Discard,
	})
	if err != nil {
		t.Fatalf("start fake-gcs-server: %v", err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// gcsBuckets returns a maker of fresh buckets on srv, reached through the
// real client; path is the path inside each bucket.
func gcsBuckets(srv *fakestorage.Server, path string) func(t *testing.T) Bucket {
	var n atomic.Int64
	return func(t *testing.T) Bucket {
		name := fmt.Sprintf("bucket-%d", n.Add(1))
		srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: name})
		b, err := Open(t.Context(), "gs://"+name+"/"+path, GCSOptions{Endpoint: srv.URL()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		return b
	}
}

func TestGCSBucketContract(t *testing.T) {
	testBucketContract(t, gcsBuckets(startFakeGCS(t), ""))
}

func TestGCSBucketBelowAPathContract(t *testing.T) {
	testBucketContract(t, gcsBuckets(startFakeGCS(t), "some/prefix"))
}

func TestGCSBucketBelowAPathStoresUnderIt(t *testing.T) {
	srv := startFakeGCS(t)
	b := gcsBuckets(srv, "some/prefix/")(t)
	write(t, b, "logs/job/1/started.json", "{}", WriteOptions{})
	obj, err := srv.GetObject("bucket-1", "some/prefix/logs/job/1/started.json")
	if err != nil || string(obj.Content) != "{}" {
		t.Errorf("object in the bucket = %+v, %v", obj, err)
	}
	if got, want := b.URL("logs/job/1"), "gs://bucket-1/some/prefix/logs/job/1"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if got, want := b.URL(""), "gs://bucket-1/some/prefix"; got != want {
		t.Errorf("URL of the bucket = %q, want %q", got, want)
	}
}

func TestOpenerSharesOneClient(t *testing.T) {
	srv := startFakeGCS(t)
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "first"})
	srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: "second"})
	o := NewOpener(GCSOptions{Endpoint: srv.URL()})
	defer func() { _ = o.Close() }()
	var buckets []Bucket
	for _, loc := range []string{"gs://first", "gs://second/path", t.TempDir()} {
		b, err := o.Open(t.Context(), loc)
		if err != nil {
			t.Fatalf("open %s: %v", loc, err)
		}
		write(t, b, "x.txt", loc, WriteOptions{})
		buckets = append(buckets, b)
	}
	for _, b := range buckets {
		if err := b.Close(); err != nil { // the shared client stays open
			t.Error(err)
		}
	}
	b, err := o.Open(t.Context(), "gs://first")
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, b, "x.txt"); got != "gs://first" {
		t.Errorf("content = %q", got)
	}
	if got := names(t, b, ListOptions{}); !slices.Equal(got, []string{"x.txt"}) {
		t.Errorf("listing of the first bucket = %q", got)
	}
}

func TestGCSMissingBucketIsAnError(t *testing.T) {
	srv := startFakeGCS(t)
	b, err := Open(t.Context(), "gs://missing", GCSOptions{Endpoint: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	var listErr error
	for _, err := range b.List(t.Context(), ListOptions{}) {
		listErr = err
	}
	if listErr == nil || errors.Is(listErr, ErrNotExist) || !strings.Contains(listErr.Error(), "gs://missing") {
		t.Errorf("err = %v, want a bucket error naming the bucket", listErr)
	}
	if _, err := b.Read(t.Context(), "x"); err == nil {
		t.Error("reading from a missing bucket should fail")
	}
}
