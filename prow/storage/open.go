package storage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	gcs "cloud.google.com/go/storage"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// bucketName matches the GCS bucket names this package accepts.
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$`)

// Location is a parsed bucket address.
type Location struct {
	// Scheme is "gs", "s3" or "file".
	Scheme string
	// Bucket is the GCS or S3 bucket name, or the local directory.
	Bucket string
	// Path is the path inside a GCS or S3 bucket that names are relative
	// to (empty for the whole bucket and for local directories).
	Path string
}

// Options configures the clients of the storage providers.
type Options struct {
	GCS GCSOptions
	S3  S3Options
}

// ParseLocation parses gs://bucket[/path], s3://bucket[/path],
// file:///dir or a plain local directory path.
func ParseLocation(raw string) (Location, error) {
	if raw == "" {
		return Location{}, fmt.Errorf("storage location is empty: %w", ErrInvalidPath)
	}
	if !strings.Contains(raw, "://") {
		return Location{Scheme: "file", Bucket: raw}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Location{}, fmt.Errorf("storage location %q: %w", raw, err)
	}
	switch u.Scheme {
	case "gs", "s3":
		names := bucketName
		if u.Scheme == "s3" {
			names = s3BucketName
		}
		if u.Host == "" {
			return Location{}, fmt.Errorf("storage location %q names no bucket (want %s://bucket[/path]): %w", raw, u.Scheme, ErrInvalidPath)
		}
		if !names.MatchString(u.Host) {
			return Location{}, fmt.Errorf("storage location %q: bucket name %q: %w", raw, u.Host, ErrInvalidPath)
		}
		p := strings.Trim(u.Path, "/")
		if p != "" {
			if err := ValidatePath(p); err != nil {
				return Location{}, fmt.Errorf("storage location %q: %w", raw, err)
			}
		}
		return Location{Scheme: u.Scheme, Bucket: u.Host, Path: p}, nil
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return Location{}, fmt.Errorf("storage location %q: a file URL needs an absolute path (file:///dir): %w", raw, ErrInvalidPath)
		}
		if u.Path == "" {
			return Location{}, fmt.Errorf("storage location %q has no directory: %w", raw, ErrInvalidPath)
		}
		return Location{Scheme: "file", Bucket: u.Path}, nil
	default:
		return Location{}, fmt.Errorf("storage location %q: unsupported scheme %q (want gs, s3 or file)", raw, u.Scheme)
	}
}

// Open opens the bucket at a location (see ParseLocation) with the
// default S3 options. A GCS bucket gets its own client, closed by the
// bucket's Close; use an Opener to share one client between buckets.
func Open(ctx context.Context, location string, opts GCSOptions) (Bucket, error) {
	return OpenWith(ctx, location, Options{GCS: opts})
}

// OpenWith opens the bucket at a location (see ParseLocation) with the
// clients opts configures.
func OpenWith(ctx context.Context, location string, opts Options) (Bucket, error) {
	loc, err := ParseLocation(location)
	if err != nil {
		return nil, err
	}
	switch loc.Scheme {
	case "file":
		return NewLocal(loc.Bucket)
	case "s3":
		client, err := NewS3Client(ctx, opts.S3)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", location, err)
		}
		return NewS3(client, loc.Bucket, loc.Path)
	}
	client, err := NewGCSClient(ctx, opts.GCS)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", location, err)
	}
	b, err := NewGCS(client, loc.Bucket, loc.Path)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	b.ownsClient = true
	return b, nil
}

// Opener opens buckets by location, sharing one GCS client and one S3
// client, each made on first use, between the buckets of its provider,
// and one Local per directory between the local buckets. It is safe for
// concurrent use.
type Opener struct {
	opts Options

	mu       sync.Mutex
	client   *gcs.Client
	s3client *s3.Client
	locals   map[string]*Local
}

// sharedLocal is a Local an Opener hands out: its Close leaves it open
// for the next user; the Opener's Close closes it.
type sharedLocal struct{ *Local }

func (sharedLocal) Close() error { return nil }

// NewOpener returns an Opener whose GCS client is built with opts (and
// its S3 client with the default S3 options).
func NewOpener(opts GCSOptions) *Opener {
	return NewOpenerWith(Options{GCS: opts})
}

// NewOpenerWith returns an Opener whose clients are built with opts.
func NewOpenerWith(opts Options) *Opener {
	return &Opener{opts: opts}
}

// Open opens the bucket at a location (see ParseLocation). Closing a
// bucket from an Opener leaves what it shares (the GCS client, the local
// directory) open.
func (o *Opener) Open(ctx context.Context, location string) (Bucket, error) {
	loc, err := ParseLocation(location)
	if err != nil {
		return nil, err
	}
	switch loc.Scheme {
	case "file":
		return o.local(loc.Bucket)
	case "s3":
		client, err := o.s3Client(ctx)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", location, err)
		}
		return NewS3(client, loc.Bucket, loc.Path)
	}
	client, err := o.gcsClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", location, err)
	}
	return NewGCS(client, loc.Bucket, loc.Path)
}

func (o *Opener) gcsClient(ctx context.Context) (*gcs.Client, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.client == nil {
		c, err := NewGCSClient(ctx, o.opts.GCS)
		if err != nil {
			return nil, err
		}
		o.client = c
	}
	return o.client, nil
}

func (o *Opener) s3Client(ctx context.Context) (*s3.Client, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.s3client == nil {
		c, err := NewS3Client(ctx, o.opts.S3)
		if err != nil {
			return nil, err
		}
		o.s3client = c
	}
	return o.s3client, nil
}

// local returns the shared Local of a directory, opening it on first
// use and again when the directory was removed or replaced since.
func (o *Opener) local(dir string) (Bucket, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("local storage %s: %w", dir, err)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if b := o.locals[abs]; b != nil {
		opened, err1 := b.root.Stat(".")
		now, err2 := os.Stat(abs)
		if err1 == nil && err2 == nil && os.SameFile(opened, now) {
			return sharedLocal{b}, nil
		}
		_ = b.Close()
		delete(o.locals, abs)
	}
	b, err := NewLocal(abs)
	if err != nil {
		return nil, err
	}
	if o.locals == nil {
		o.locals = map[string]*Local{}
	}
	o.locals[abs] = b
	return sharedLocal{b}, nil
}

// Close closes the shared GCS client, if one was made, and the local
// directories.
func (o *Opener) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var errs []error
	for dir, b := range o.locals {
		errs = append(errs, b.Close())
		delete(o.locals, dir)
	}
	if o.client != nil {
		errs = append(errs, o.client.Close())
		o.client = nil
	}
	return errors.Join(errs...)
}
