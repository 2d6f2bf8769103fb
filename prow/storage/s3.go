package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

const (
	// s3PageSize is how many entries one list request asks for.
	s3PageSize = 1000
	// generationKey is the object metadata that carries the generation:
	// S3 has no generation numbers, and an ETag does not change when
	// the same content is written again.
	generationKey = "prow-generation"
	// memoryBuffer is how much of a stream Write keeps in memory before
	// it spills the rest to a temporary file (a PUT needs the length).
	memoryBuffer = 8 << 20
)

// s3BucketName matches the S3 bucket names this package accepts.
var s3BucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$`)

// lastGeneration makes generations unique and increasing in a process.
var lastGeneration atomic.Int64

func nextGeneration() int64 {
	for {
		last, now := lastGeneration.Load(), time.Now().UnixNano()
		if now <= last {
			now = last + 1
		}
		if lastGeneration.CompareAndSwap(last, now) {
			return now
		}
	}
}

// S3 is a Bucket in Amazon S3 or an S3-compatible server (MinIO),
// optionally below a path inside the bucket (s3://bucket/some/path).
type S3 struct {
	client *s3.Client
	bucket string
	// prefix is "" or a path ending in "/" that every name is below.
	prefix string
}

var _ FileWriter = (*S3)(nil)

// NewS3 returns the bucket named bucket, with object names relative to
// prefix (which may be empty).
func NewS3(client *s3.Client, bucket, prefix string) (*S3, error) {
	if !s3BucketName.MatchString(bucket) {
		return nil, fmt.Errorf("S3 bucket name %q: %w", bucket, ErrInvalidPath)
	}
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix != "" {
		if err := ValidatePath(prefix); err != nil {
			return nil, fmt.Errorf("path in S3 bucket %s: %w", bucket, err)
		}
		prefix += "/"
	}
	return &S3{client: client, bucket: bucket, prefix: prefix}, nil
}

// URL implements Bucket.
func (b *S3) URL(name string) string {
	return strings.TrimSuffix("s3://"+b.bucket+"/"+b.prefix+name, "/")
}

// Close implements Bucket; the client holds nothing to release.
func (b *S3) Close() error { return nil }

func (b *S3) key(name string) (*string, error) {
	if err := ValidatePath(name); err != nil {
		return nil, err
	}
	return aws.String(b.prefix + name), nil
}

// Write implements Bucket. A stream is read whole before the upload
// starts, so a failing reader leaves no object.
func (b *S3) Write(ctx context.Context, name string, r io.Reader, opts WriteOptions) (Attrs, error) {
	if _, err := b.key(name); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	body, size, release, err := seekable(r)
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	defer release()
	return b.put(ctx, name, body, size, opts)
}

// WriteFile implements FileWriter: the file is uploaded from disk.
func (b *S3) WriteFile(ctx context.Context, name, file string, opts WriteOptions) (Attrs, error) {
	if _, err := b.key(name); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), err)
	}
	f, err := os.Open(file)
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s from %s: %w", b.URL(name), file, err)
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return Attrs{}, fmt.Errorf("write %s from %s: %w", b.URL(name), file, err)
	}
	return b.put(ctx, name, f, info.Size(), opts)
}

func (b *S3) put(ctx context.Context, name string, body io.ReadSeeker, size int64, opts WriteOptions) (Attrs, error) {
	key, _ := b.key(name) // checked by the callers
	gen := nextGeneration()
	meta := copyMetadata(opts.Metadata)
	if meta == nil {
		meta = map[string]string{}
	}
	meta[generationKey] = strconv.FormatInt(gen, 10)
	ct := opts.ContentType
	if ct == "" {
		ct = DefaultContentType(name)
	}
	in := &s3.PutObjectInput{
		Bucket: aws.String(b.bucket), Key: key, Body: body, ContentLength: aws.Int64(size),
		ContentType: aws.String(ct), Metadata: meta,
	}
	if opts.DoesNotExist {
		in.IfNoneMatch = aws.String("*")
	}
	if _, err := b.client.PutObject(ctx, in); err != nil {
		return Attrs{}, fmt.Errorf("write %s: %w", b.URL(name), s3Error(err))
	}
	return Attrs{Name: name, Size: size, ContentType: ct, Metadata: copyMetadata(opts.Metadata), Updated: time.Now().UTC(), Generation: gen}, nil
}

// seekable returns r as a ReadSeeker at its start and its length,
// buffering it (in memory, then in a temporary file) unless it is a
// seekable file or reader at offset 0. release frees the buffer.
func seekable(r io.Reader) (io.ReadSeeker, int64, func(), error) {
	noop := func() {}
	if rs, ok := r.(io.ReadSeeker); ok {
		if cur, err := rs.Seek(0, io.SeekCurrent); err == nil && cur == 0 {
			if end, err := rs.Seek(0, io.SeekEnd); err == nil {
				if _, err := rs.Seek(0, io.SeekStart); err == nil {
					return rs, end, noop, nil
				}
			}
		}
	}
	var mem bytes.Buffer
	n, err := io.CopyN(&mem, r, memoryBuffer+1)
	if errors.Is(err, io.EOF) {
		return bytes.NewReader(mem.Bytes()), n, noop, nil
	}
	if err != nil {
		return nil, 0, noop, err
	}
	tmp, err := os.CreateTemp("", "prow-upload-*")
	if err != nil {
		return nil, 0, noop, fmt.Errorf("buffer the upload: %w", err)
	}
	release := func() {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
	}
	size, err := io.Copy(tmp, io.MultiReader(&mem, r))
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		release()
		return nil, 0, noop, err
	}
	return tmp, size, release, nil
}

// Read implements Bucket.
func (b *S3) Read(ctx context.Context, name string) ([]byte, error) {
	return readAll(ctx, b, name, s3Error)
}

// ReadRange implements Bucket. A tail (negative offset) is found from
// the object's size, since S3-compatible servers differ on a suffix
// range longer than the object.
func (b *S3) ReadRange(ctx context.Context, name string, offset, length int64) (io.ReadCloser, error) {
	key, err := b.key(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	if err := checkTail(offset, length); err != nil {
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	if length == 0 || offset < 0 {
		a, err := b.Attributes(ctx, name)
		if err != nil {
			return nil, err
		}
		if length == 0 || a.Size == 0 {
			return emptyReader(), nil
		}
		offset = max(0, a.Size+offset)
	}
	in := &s3.GetObjectInput{Bucket: aws.String(b.bucket), Key: key, Range: byteRange(offset, length)}
	out, err := b.client.GetObject(ctx, in)
	if err != nil {
		err = s3Error(err)
		if errors.Is(err, ErrInvalidRange) && offset == 0 {
			// A range of an empty object: there is nothing to read.
			if a, aerr := b.Attributes(ctx, name); aerr == nil && a.Size == 0 {
				return emptyReader(), nil
			}
		}
		return nil, fmt.Errorf("read %s: %w", b.URL(name), err)
	}
	return out.Body, nil
}

func emptyReader() io.ReadCloser { return io.NopCloser(strings.NewReader("")) }

// byteRange is the HTTP Range of length bytes from offset (to the end
// when length is negative), nil for the whole object.
func byteRange(offset, length int64) *string {
	switch {
	case offset == 0 && length < 0:
		return nil
	case length < 0:
		return aws.String(fmt.Sprintf("bytes=%d-", offset))
	default:
		return aws.String(fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))
	}
}

// Attributes implements Bucket.
func (b *S3) Attributes(ctx context.Context, name string) (Attrs, error) {
	key, err := b.key(name)
	if err != nil {
		return Attrs{}, fmt.Errorf("attributes of %s: %w", b.URL(name), err)
	}
	out, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.bucket), Key: key})
	if err != nil {
		return Attrs{}, fmt.Errorf("attributes of %s: %w", b.URL(name), s3Error(err))
	}
	a := Attrs{Name: name, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType), Updated: aws.ToTime(out.LastModified).UTC()}
	meta := map[string]string{}
	for k, v := range out.Metadata {
		meta[strings.ToLower(k)] = v
	}
	if g, err := strconv.ParseInt(meta[generationKey], 10, 64); err == nil {
		a.Generation = g
	} else {
		// Written by another tool: its time stands for the generation.
		a.Generation = a.Updated.UnixNano()
	}
	delete(meta, generationKey)
	a.Metadata = copyMetadata(meta)
	return a, nil
}

// Delete implements Bucket. S3 deletes missing objects without a word,
// so the object is looked up first.
func (b *S3) Delete(ctx context.Context, name string) error {
	if _, err := b.Attributes(ctx, name); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	key, _ := b.key(name)
	if _, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.bucket), Key: key}); err != nil {
		return fmt.Errorf("delete %s: %w", b.URL(name), s3Error(err))
	}
	return nil
}

// List implements Bucket. Each page is sorted, since S3 returns a page's
// objects and its common prefixes apart.
func (b *S3) List(ctx context.Context, opts ListOptions) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		if err := ValidatePrefix(opts.Prefix); err != nil {
			yield(Entry{}, fmt.Errorf("list %s: %w", b.URL(opts.Prefix), err))
			return
		}
		in := &s3.ListObjectsV2Input{Bucket: aws.String(b.bucket), Prefix: aws.String(b.prefix + opts.Prefix), MaxKeys: aws.Int32(s3PageSize)}
		if opts.Delimiter != "" {
			in.Delimiter = aws.String(opts.Delimiter)
		}
		if opts.StartAfter != "" {
			// Entries below a prefix StartAfter come back folded into
			// it, and opts.after drops them.
			in.StartAfter = aws.String(b.prefix + opts.StartAfter)
		}
		pages := s3.NewListObjectsV2Paginator(b.client, in)
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				yield(Entry{}, fmt.Errorf("list %s: %w", b.URL(opts.Prefix), s3Error(err)))
				return
			}
			for _, e := range b.entries(page) {
				if opts.after(e.Name) && !yield(e, nil) {
					return
				}
			}
		}
	}
}

// entries converts and sorts one page of a listing.
func (b *S3) entries(page *s3.ListObjectsV2Output) []Entry {
	out := make([]Entry, 0, len(page.Contents)+len(page.CommonPrefixes))
	for _, p := range page.CommonPrefixes {
		out = append(out, Entry{Name: strings.TrimPrefix(aws.ToString(p.Prefix), b.prefix), IsPrefix: true})
	}
	for _, o := range page.Contents {
		out = append(out, Entry{Name: strings.TrimPrefix(aws.ToString(o.Key), b.prefix), Size: aws.ToInt64(o.Size), Updated: aws.ToTime(o.LastModified).UTC()})
	}
	slices.SortFunc(out, func(x, y Entry) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// s3Error maps the client's errors to this package's sentinels; a
// missing bucket stays an error of its own.
func s3Error(err error) error {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return ErrNotExist
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchBucket":
			return err
		case "NoSuchKey", "NotFound":
			return ErrNotExist
		case "PreconditionFailed", "ConditionalRequestConflict":
			return ErrPreconditionFailed
		case "InvalidRange":
			return ErrInvalidRange
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case http.StatusNotFound:
			return ErrNotExist
		case http.StatusPreconditionFailed, http.StatusConflict:
			return ErrPreconditionFailed
		case http.StatusRequestedRangeNotSatisfiable:
			return ErrInvalidRange
		}
	}
	return err
}
