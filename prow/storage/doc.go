// Package storage keeps job artifacts, as Prow's pkg/io and its GCS and
// S3 providers do: one Bucket interface with a local directory backend
// (embedded mode), a Google Cloud Storage backend and an S3 backend for
// Amazon S3 and S3-compatible servers such as MinIO (the AWS SDK, with
// Prow's S3 credentials file, s3client.go), an opener that picks the
// backend from a URL (gs://bucket, s3://bucket, file:///dir or a plain
// directory), and the one description of where
// Prow puts things in a bucket (layout.go) together with the started.json
// and finished.json metadata types.
//
// Object names are slash-separated relative paths. Every name is checked
// by ValidatePath before any backend touches it, so a name taken from a
// request URL cannot climb out of a bucket or a local root.
//
// Listing follows GCS semantics on every backend: a prefix selects the
// names that start with it and a delimiter folds everything after its
// first occurrence into a "directory" entry (a common prefix). Entries come
// in lexicographic byte order of their names, which is what makes
// ListOptions.StartAfter a resumable page cursor.
package storage
