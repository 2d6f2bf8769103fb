// Package s3test starts an S3-compatible server for tests: gofakes3 with
// its in-memory backend, in-process on 127.0.0.1, reached by the real
// AWS SDK client through prow/storage's S3 backend. It stands in for the
// MinIO deployment of Prow's starter configuration.
//
// The server writes a credentials file in the format of Prow's
// s3_credentials_secret (--s3-credentials-file), so tests exercise the
// same path as a deployment.
package s3test
