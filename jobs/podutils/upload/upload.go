package upload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/options"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// Opener opens the bucket at a location: gs://bucket, s3://bucket,
// file:///dir or a directory.
type Opener func(ctx context.Context, location string) (storage.Bucket, error)

// DefaultOpener opens buckets with the credentials files of the options:
// a GCS service account key (Application Default Credentials when empty;
// the GCS client honors STORAGE_EMULATOR_HOST) and an S3 credentials
// file in Prow's format (the AWS default chain when empty). S3 requests
// that fail are retried with exponential backoff, a bounded number of
// times, before the upload fails.
func DefaultOpener(c options.StorageClient) Opener {
	return func(ctx context.Context, location string) (storage.Bucket, error) {
		return storage.OpenWith(ctx, location, storage.Options{
			GCS: storage.GCSOptions{CredentialsFile: c.GCSCredentialsFile},
			S3:  storage.S3Options{CredentialsFile: c.S3CredentialsFile},
		})
	}
}

// Target is a build's directory in its bucket.
type Target struct {
	bucket storage.Bucket
	// artifacts is the build's place; dir is where files go (its build
	// directory and sub_dir; only sub_dir in local output mode).
	artifacts jobs.Artifacts
	dir       string
	// dry logs instead of uploading; localOut copies to a directory
	// without latest-build.txt or alias.
	dry, localOut bool
	mediaTypes    map[string]string
	filter        Filter
	log           *logrus.Entry
}

// A Filter rewrites the content of a file PutItems uploads (to censor
// secrets, for example): item is the item it is part of and rel its path
// relative to that item (its base name for a file item).
type Filter func(item, rel string, r io.Reader) io.Reader

// SetFilter makes PutItems pass every file through f.
func (t *Target) SetFilter(f Filter) { t.filter = f }

// ProwJobOf is the ProwJob a job spec stands for, with g as its storage
// configuration, enough to find its build directory.
func ProwJobOf(spec downward.JobSpec, g prowapi.GCSConfiguration) *prowapi.ProwJob {
	pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{
		Type: spec.Type, Job: spec.Job, Refs: spec.Refs, ExtraRefs: spec.ExtraRefs,
		DecorationConfig: &prowapi.DecorationConfig{GCSConfiguration: &g},
	}}
	pj.Name = spec.ProwJobID
	pj.Status.BuildID = spec.BuildID
	return pj
}

// Open finds the build directory of the job and opens its bucket (or,
// with local_output_dir, that directory). A dry run opens nothing.
func Open(ctx context.Context, spec downward.JobSpec, g options.GCS, open Opener, log *logrus.Entry) (*Target, error) {
	cfg := g.Config()
	t := &Target{dry: g.DryRun, localOut: cfg.LocalOutputDir != "", mediaTypes: cfg.MediaTypes, log: log}
	if t.dry && cfg.Bucket == "" {
		cfg.Bucket = "dry-run"
	}
	if !t.localOut {
		a, err := jobs.ArtifactsOf(ProwJobOf(spec, cfg))
		if err != nil {
			return nil, err
		}
		t.artifacts, t.dir = a, a.Dir
	}
	t.dir = strings.Trim(path.Join(t.dir, g.SubDir), "/")
	if t.dry {
		return t, nil
	}
	location := cfg.LocalOutputDir
	if !t.localOut {
		location = jobs.BucketAddress(cfg.Bucket)
	}
	b, err := open(ctx, location)
	if err != nil {
		return nil, fmt.Errorf("open the bucket of job %s build %s: %w", spec.Job, spec.BuildID, err)
	}
	t.bucket = b
	return t, nil
}

// Close releases the bucket.
func (t *Target) Close() error {
	if t.bucket == nil {
		return nil
	}
	return t.bucket.Close()
}

// URL is the address of the build directory.
func (t *Target) URL() string {
	if t.bucket == nil {
		return t.dir
	}
	return t.bucket.URL(t.dir)
}

// Put uploads the content of r as name, relative to the build directory.
func (t *Target) Put(ctx context.Context, name string, r io.Reader) error {
	full := path.Join(t.dir, name)
	if t.dry {
		t.log.WithField("object", full).Info("Dry run: would upload")
		return nil
	}
	opts := storage.WriteOptions{}
	if mt, ok := t.mediaTypes[strings.TrimPrefix(path.Ext(name), ".")]; ok {
		opts.ContentType = mt
	}
	if _, err := t.bucket.Write(ctx, full, r, opts); err != nil {
		return fmt.Errorf("upload %s: %w", t.bucket.URL(full), err)
	}
	return nil
}

// PutBytes uploads data as name.
func (t *Target) PutBytes(ctx context.Context, name string, data []byte) error {
	return t.Put(ctx, name, bytes.NewReader(data))
}

// PutJSON uploads v as tab-indented JSON.
func (t *Target) PutJSON(ctx context.Context, name string, v any) error {
	data, err := json.MarshalIndent(v, "", "\t")
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return t.PutBytes(ctx, name, data)
}

// PutFile streams a local file into name.
func (t *Target) PutFile(ctx context.Context, name, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("upload %s: %w", file, err)
	}
	defer func() { _ = f.Close() }()
	return t.Put(ctx, name, f)
}

// PutItems uploads files and directories as Prow's gcsupload does: a
// file as its base name, the files of a directory below a directory of
// its base name (so $ARTIFACTS, /logs/artifacts, goes to artifacts/). A
// missing item is skipped with a warning.
func (t *Target) PutItems(ctx context.Context, items []string) error {
	var errs []error
	for _, item := range items {
		info, err := os.Stat(item)
		if err != nil {
			t.log.WithError(err).WithField("item", item).Warn("Skipping an item that cannot be read")
			continue
		}
		if !info.IsDir() {
			errs = append(errs, t.putItemFile(ctx, escape(info.Name()), item, info.Name(), item))
			continue
		}
		errs = append(errs, t.putDir(ctx, item, info.Name()))
	}
	return errors.Join(errs...)
}

// putDir uploads the regular files below root to dest.
func (t *Target) putDir(ctx context.Context, root, dest string) error {
	var errs []error
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		name := escape(path.Join(dest, filepath.ToSlash(rel)))
		if err := storage.ValidatePath(path.Join(t.dir, name)); err != nil {
			t.log.WithError(err).WithField("artifact", rel).Warn("Skipping an artifact whose name the bucket cannot hold")
			return nil
		}
		errs = append(errs, t.putItemFile(ctx, name, root, rel, p))
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("upload the files of %s: %w", root, err)
	}
	return nil
}

// putItemFile uploads the file of an item through the filter.
func (t *Target) putItemFile(ctx context.Context, name, item, rel, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("upload %s: %w", file, err)
	}
	defer func() { _ = f.Close() }()
	var r io.Reader = f
	if t.filter != nil {
		r = t.filter(item, filepath.ToSlash(rel), r)
	}
	return t.Put(ctx, name, r)
}

// escape makes '#', which GCS object names should not hold, %23 as
// Prow does.
func escape(name string) string { return strings.ReplaceAll(name, "#", "%23") }

// Latest points latest-build.txt at the build and writes the presubmit
// alias; neither exists in a dry run or in a local output directory.
func (t *Target) Latest(ctx context.Context) error {
	if t.dry || t.localOut {
		return nil
	}
	if err := t.artifacts.WriteLatestBuild(ctx, t.bucket); err != nil {
		return err
	}
	return t.artifacts.WriteAlias(ctx, t.bucket)
}
