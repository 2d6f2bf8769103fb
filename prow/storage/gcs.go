package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	gcs "cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
)

// gcsPageSize is how many entries one list request asks for.
const gcsPageSize = 1000

// GCSOptions configures the Google Cloud Storage client.
type GCSOptions struct {
	// CredentialsFile is a service account key file; empty means
	// Application Default Credentials.
	CredentialsFile string
	// Endpoint sends every request, unauthenticated, to an emulator such
	// as fake-gcs-server (for example http://127.0.0.1:4443). A URL
	// without a path gets the JSON API path /storage/v1/ appended.
	Endpoint string
}

// NewGCSClient builds a GCS client. Reads go through the JSON API, like
// every other call, so that emulators serve them too.
func NewGCSClient(ctx context.Context, opts GCSOptions) (*gcs.Client, error) {
	copts := []option.ClientOption{gcs.WithJSONReads()}
	switch {
	case opts.Endpoint != "":
		u, err := url.Parse(opts.Endpoint)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("GCS endpoint %q is not an absolute URL", opts.Endpoint)
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = "/storage/v1/"
		}
		copts = append(copts, option.WithEndpoint(u.String()), option.WithoutAuthentication())
	case opts.CredentialsFile != "":
		creds, err := credentialsOption(opts.CredentialsFile)
		if err != nil {
			return nil, err
		}
		copts = append(copts, creds)
	}
	c, err := gcs.NewClient(ctx, copts...)
	if err != nil {
		return nil, fmt.Errorf("create GCS client: %w", err)
	}
	return c, nil
}

// credentialsTypes are the kinds of credentials file accepted, by their
// "type" field.
var credentialsTypes = map[string]option.CredentialsType{
	"service_account":              option.ServiceAccount,
	"authorized_user":              option.AuthorizedUser,
	"external_account":             option.ExternalAccount,
	"impersonated_service_account": option.ImpersonatedServiceAccount,
}

// credentialsOption reads a credentials file, checking its type.
func credentialsOption(file string) (option.ClientOption, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read GCS credentials %s: %w", file, err)
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("parse GCS credentials %s: %w", file, err)
	}
	t, ok := credentialsTypes[head.Type]
	if !ok {
		return nil, fmt.Errorf("GCS credentials %s have unsupported type %q", file, head.Type)
	}
	return option.WithAuthCredentialsJSON(t, data), nil
}

// GCS is a Bucket in Google Cloud Storage, optionally below a path
// inside the bucket (gs://bucket/some/path).
type GCS struct {
	client *gcs.Client
	bkt    *gcs.BucketHandle
	bucket string
	// prefix is "" or a path ending in "/" that every name is below.
	prefix string
	// ownsClient makes Close close the client.
	ownsClient bool
}

// NewGCS returns the bucket named bucket, with object names relative to
// prefix (which may be empty). The caller keeps ownership of client.
func NewGCS(client *gcs.Client, bucket, prefix string) (*GCS, error) {
	if !bucketName.MatchString(bucket) {
		return nil, fmt.Errorf("GCS bucket name %q: %w", bucket, ErrInvalidPath)
	}
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix != "" {
		if err := ValidatePath(prefix); err != nil {
			return nil, fmt.Errorf("path in GCS bucket %s: %w", bucket, err)
		}
		prefix += "/"
	}
	return &GCS{client: client, bkt: client.Bucket(bucket), bucket: bucket, prefix: prefix}, nil
}

// URL implements Bucket.
func (b *GCS) URL(name string) string {
	return strings.TrimSuffix("gs://"+b.bucket+"/"+b.prefix+name, "/")
}

// Close implements Bucket.
func (b *GCS) Close() error {
	if b.ownsClient {
		return b.client.Close()
	}
	return nil
}

func (b *GCS) object(name string) (*gcs.ObjectHandle, error) {
	if err := ValidatePath(name); err != nil {
		return nil, err
	}
	return b.bkt.Object(b.prefix + name), nil
}

// Write implements Bucket.
func (b *GCS) Write(ctx context.Context, name string, r io.Reader, opts WriteOptions) (Attrs, error) {
	obj, err := b.object(name)
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	if opts.DoesNotExist {
		obj = obj.If(gcs.Conditions{DoesNotExist: true})
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := obj.NewWriter(wctx)
	w.ContentType = opts.ContentType
	if w.ContentType == "" {
		w.ContentType = DefaultContentType(name)
	}
	w.Metadata = copyMetadata(opts.Metadata)
	if _, err := io.Copy(w, r); err != nil {
		cancel() // abandons the upload
		_ = w.Close()
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	if err := w.Close(); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), gcsError(err))
	}
	return b.attrs(w.Attrs()), nil
}

// Read implements Bucket.
func (b *GCS) Read(ctx context.Context, name string) ([]byte, error) {
	return readAll(ctx, b, name, gcsError)
}

// ReadRange implements Bucket.
func (b *GCS) ReadRange(ctx context.Context, name string, offset, length int64) (io.ReadCloser, error) {
	obj, err := b.object(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	if err := checkTail(offset, length); err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	if length == 0 { // the client would read to the end
		if _, err := b.Attributes(ctx, name); err != nil {
			return nil, err
		}
		return io.NopCloser(strings.NewReader("")), nil
	}
	r, err := obj.NewRangeReader(ctx, offset, length)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), gcsError(err))
	}
	return r, nil
}

// Attributes implements Bucket.
func (b *GCS) Attributes(ctx context.Context, name string) (Attrs, error) {
	obj, err := b.object(name)
	if err != nil {
		return Attrs{}, fmt.Errorf("attributes of %s: %w", b.URL(name), err)
	}
	a, err := obj.Attrs(ctx)
	if err != nil {
		return Attrs{}, fmt.Errorf("attributes of %s: %w", b.URL(name), gcsError(err))
	}
	return b.attrs(a), nil
}

func (b *GCS) attrs(a *gcs.ObjectAttrs) Attrs {
	return Attrs{
		Name:        strings.TrimPrefix(a.Name, b.prefix),
		Size:        a.Size,
		ContentType: a.ContentType,
		Metadata:    copyMetadata(a.Metadata),
		Updated:     a.Updated.UTC(),
		Generation:  a.Generation,
	}
}

// Delete implements Bucket.
func (b *GCS) Delete(ctx context.Context, name string) error {
	obj, err := b.object(name)
	if err != nil {
		return fmt.Errorf("delete %s: %w", b.URL(name), err)
	}
	if err := obj.Delete(ctx); err != nil {
		return fmt.Errorf("delete %s: %w", b.URL(name), gcsError(err))
	}
	return nil
}

// List implements Bucket. Each page of results is sorted, since GCS
// returns a page's objects and its prefixes apart.
func (b *GCS) List(ctx context.Context, opts ListOptions) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		if err := ValidatePrefix(opts.Prefix); err != nil {
			yield(Entry{}, fmt.Errorf("list %s: %w", b.URL(opts.Prefix), err))
			return
		}
		q := &gcs.Query{Prefix: b.prefix + opts.Prefix, Delimiter: opts.Delimiter}
		if s := opts.startOffset(); s != "" {
			q.StartOffset = b.prefix + s
		}
		if err := q.SetAttrSelection([]string{"Name", "Size", "Updated"}); err != nil {
			yield(Entry{}, fmt.Errorf("list %s: %w", b.URL(opts.Prefix), err))
			return
		}
		pager := iterator.NewPager(b.bkt.Objects(ctx, q), gcsPageSize, "")
		for {
			var page []*gcs.ObjectAttrs
			token, err := pager.NextPage(&page)
			if err != nil {
				yield(Entry{}, fmt.Errorf("list %s: %w", b.URL(opts.Prefix), gcsError(err)))
				return
			}
			for _, e := range b.entries(page) {
				if opts.after(e.Name) && !yield(e, nil) {
					return
				}
			}
			if token == "" {
				return
			}
		}
	}
}

// entries converts and sorts one page of a listing.
func (b *GCS) entries(page []*gcs.ObjectAttrs) []Entry {
	out := make([]Entry, 0, len(page))
	for _, a := range page {
		if a.Prefix != "" {
			out = append(out, Entry{Name: strings.TrimPrefix(a.Prefix, b.prefix), IsPrefix: true})
			continue
		}
		out = append(out, Entry{Name: strings.TrimPrefix(a.Name, b.prefix), Size: a.Size, Updated: a.Updated.UTC()})
	}
	slices.SortFunc(out, func(x, y Entry) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// gcsError maps the client's errors to this package's sentinels.
func gcsError(err error) error {
	if errors.Is(err, gcs.ErrBucketNotExist) {
		return err
	}
	if errors.Is(err, gcs.ErrObjectNotExist) {
		return ErrNotExist
	}
	var gerr *googleapi.Error
	if errors.As(err, &gerr) {
		switch gerr.Code {
		case http.StatusNotFound:
			return ErrNotExist
		case http.StatusPreconditionFailed:
			return ErrPreconditionFailed
		case http.StatusRequestedRangeNotSatisfiable:
			return ErrInvalidRange
		}
	}
	return err
}
