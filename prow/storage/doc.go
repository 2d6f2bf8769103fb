// Package storage keeps job artifacts: one Bucket interface with a local
// directory backend (embedded mode) and a Google Cloud Storage backend
// (cluster mode), an opener that picks the backend from a URL (gs://bucket,
// file:///dir or a plain directory), and the one description of where
// Prow puts things in a bucket (layout.go) together with the started.json
// and finished.json metadata types.
//
// Object names are slash-separated relative paths. Every name is checked
// by ValidatePath before any backend touches it, so a name taken from a
// request URL cannot climb out of a bucket or a local root.
//
// Listing follows GCS semantics on both backends: a prefix selects the
// names that start with it and a delimiter folds everything after its
// first occurrence into a "directory" entry (a common prefix). Entries come
// in lexicographic byte order of their names, which is what makes
// ListOptions.StartAfter a resumable page cursor.
package storage
