package deck

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/prow/storage"
)

// maxBuckets caps the buckets kept open.
const maxBuckets = 64

// gcsBucketName matches the GCS and S3 bucket names a URL may name.
var gcsBucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$`)

// bucketCache keeps opened buckets by location.
type bucketCache struct {
	opener Opener
	mu     sync.Mutex
	open   map[string]storage.Bucket
}

func newBucketCache(o Opener) *bucketCache {
	return &bucketCache{opener: o, open: map[string]storage.Bucket{}}
}

func (c *bucketCache) get(ctx context.Context, location string) (storage.Bucket, error) {
	if c.opener == nil {
		return nil, errors.New("this deck has no artifact storage")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.open[location]; ok {
		return b, nil
	}
	b, err := c.opener.Open(ctx, location)
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", location, err)
	}
	if len(c.open) >= maxBuckets {
		for loc, old := range c.open {
			_ = old.Close()
			delete(c.open, loc)
			break
		}
	}
	c.open[location] = b
	return b, nil
}

func (c *bucketCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for loc, b := range c.open {
		errs = append(errs, b.Close())
		delete(c.open, loc)
	}
	return errors.Join(errs...)
}

// target is a build directory (or a job's history directory) in a
// bucket, as a URL names it.
type target struct {
	// Provider is gs, s3 or local, as in deck URLs.
	Provider string
	// Bucket is the GCS or S3 bucket name (empty for local).
	Bucket string
	// Location is what the Opener opens.
	Location string
	// Dir is the path inside the bucket.
	Dir string
}

// URLPath is the provider/bucket/dir part of deck URLs for t.
func (t target) URLPath() string {
	if t.Provider == "local" {
		return "local/" + t.Dir
	}
	return t.Provider + "/" + t.Bucket + "/" + t.Dir
}

// artifactsTarget is the build directory of a job's artifacts.
func artifactsTarget(a jobs.Artifacts) target {
	t := target{Provider: a.Provider(), Dir: a.Dir, Location: a.Bucket}
	if t.Provider != "local" {
		t.Bucket = a.BucketName()
		t.Location = t.Provider + "://" + t.Bucket
	}
	return t
}

// httpError is a refusal with the status and message to show.
type httpError struct {
	status int
	title  string
	msg    string
}

func (e *httpError) Error() string { return e.title + ": " + e.msg }

func refuse(status int, title, msg string) *httpError {
	return &httpError{status: status, title: title, msg: msg}
}

// parseTarget reads <provider>/<bucket>/<path> (or local/<path>) and
// checks the provider, the bucket and the path before anything is read.
func (s *Server) parseTarget(rest string) (target, *httpError) {
	provider, after, _ := strings.Cut(rest, "/")
	var t target
	switch provider {
	case "gs", "gcs", "s3":
		if provider == "gcs" {
			provider = "gs"
		}
		bucket, dir, _ := strings.Cut(after, "/")
		if !gcsBucketName.MatchString(bucket) {
			return t, refuse(http.StatusBadRequest, "Bad bucket name", fmt.Sprintf("%q is not a bucket name.", bucket))
		}
		if !s.bucketAllowed(provider, bucket) {
			return t, refuse(http.StatusForbidden, "Bucket not served", fmt.Sprintf("This deck does not serve bucket %s://%s.", provider, bucket))
		}
		t = target{Provider: provider, Bucket: bucket, Location: provider + "://" + bucket, Dir: dir}
	case "local":
		if s.opts.LocalBucket == "" {
			return t, refuse(http.StatusNotFound, "No local storage", "This deck serves no local artifact directory.")
		}
		t = target{Provider: "local", Location: s.opts.LocalBucket, Dir: after}
	default:
		return t, refuse(http.StatusNotFound, "Unknown storage provider", fmt.Sprintf("Storage provider %q is not served here (gs, s3 and local are).", provider))
	}
	t.Dir = strings.TrimSuffix(t.Dir, "/")
	if err := storage.ValidatePath(t.Dir); err != nil {
		return t, refuse(http.StatusBadRequest, "Bad path", err.Error())
	}
	return t, nil
}

// bucketAllowed says whether a GCS (provider gs) or S3 (s3) bucket may
// be read: one named by the options, deck.additional_allowed_buckets,
// or a default decoration config. A bucket written without a scheme is
// a GCS bucket, as in Prow.
func (s *Server) bucketAllowed(provider, name string) bool {
	want := provider + "://" + name
	norm := func(b string) string { return strings.TrimSuffix(jobs.BucketAddress(b), "/") }
	for _, b := range s.opts.AllowedBuckets {
		if norm(b) == want {
			return true
		}
	}
	cfg := s.config()
	for _, b := range cfg.Deck.AdditionalAllowedBuckets {
		if norm(b) == want {
			return true
		}
	}
	for _, e := range cfg.Plank.DefaultDecorationConfigs {
		if e != nil && e.Config != nil && e.Config.GCSConfiguration != nil && norm(e.Config.GCSConfiguration.Bucket) == want {
			return true
		}
	}
	for _, dc := range cfg.Plank.DefaultDecorationConfigsMap {
		if dc != nil && dc.GCSConfiguration != nil && norm(dc.GCSConfiguration.Bucket) == want {
			return true
		}
	}
	return false
}

// bucket opens t's bucket.
func (s *Server) bucket(ctx context.Context, t target) (storage.Bucket, *httpError) {
	b, err := s.buckets.get(ctx, t.Location)
	if err != nil {
		s.log.WithError(err).WithField("bucket", t.Location).Warn("Open bucket failed")
		return nil, refuse(http.StatusServiceUnavailable, "Storage unavailable", "The artifact storage cannot be opened right now.")
	}
	return b, nil
}
