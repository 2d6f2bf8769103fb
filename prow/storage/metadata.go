package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// Results written to finished.json.
const (
	ResultSuccess = "SUCCESS"
	ResultFailure = "FAILURE"
	ResultAborted = "ABORTED"
)

// Metadata is free-form JSON metadata of a build.
type Metadata map[string]any

// Started is started.json, as testgrid's metadata.Started reads it.
type Started struct {
	// Timestamp is when the build started, in seconds since the epoch.
	Timestamp int64 `json:"timestamp"`
	// Node the build ran on.
	Node string `json:"node,omitempty"`
	// Pull is the number of the first pull request, as a string.
	Pull string `json:"pull,omitempty"`
	// Repos maps org/repo to its refs string (base:sha,pr:sha...).
	Repos map[string]string `json:"repos,omitempty"`
	// RepoCommit is the commit the build tested.
	RepoCommit string `json:"repo-commit,omitempty"`
	// RepoVersion is the deprecated name of RepoCommit.
	RepoVersion string `json:"repo-version,omitempty"`
	// Metadata is free-form.
	Metadata Metadata `json:"metadata,omitempty"`
	// JobVersion is deprecated.
	JobVersion string `json:"job-version,omitempty"`
}

// Finished is finished.json, as testgrid's metadata.Finished reads it.
type Finished struct {
	// Timestamp is when the build finished, in seconds since the epoch.
	Timestamp *int64 `json:"timestamp,omitempty"`
	// Passed is always written, null when unknown.
	Passed *bool `json:"passed"`
	// Result is one of ResultSuccess, ResultFailure, ResultAborted.
	Result string `json:"result,omitempty"`
	// Revision is the commit tested (pull request or base SHA).
	Revision string `json:"revision,omitempty"`
	// Metadata is free-form; the sidecar adds "sidecar-errors" to it.
	Metadata Metadata `json:"metadata,omitempty"`
	// JobVersion is deprecated.
	JobVersion string `json:"job-version,omitempty"`
}

// ReadJSON reads an object and decodes it as JSON into v.
func ReadJSON(ctx context.Context, b Bucket, name string, v any) error {
	data, err := b.Read(ctx, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", b.URL(name), err)
	}
	return nil
}

// WriteJSON encodes v as tab-indented JSON (as Prow writes prowjob.json)
// and writes it with the application/json content type unless opts sets
// one.
func WriteJSON(ctx context.Context, b Bucket, name string, v any, opts WriteOptions) (Attrs, error) {
	data, err := json.MarshalIndent(v, "", "\t")
	if err != nil {
		return Attrs{}, fmt.Errorf("encode %s: %w", b.URL(name), err)
	}
	if opts.ContentType == "" {
		opts.ContentType = "application/json"
	}
	return b.Write(ctx, name, bytes.NewReader(data), opts)
}
