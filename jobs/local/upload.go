package local

import (
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

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/prow/storage"
)

// maxMetadata bounds the $ARTIFACTS/metadata.json merged into
// finished.json.
const maxMetadata = 1 << 20

// upload puts the results of an ended run in its bucket: the clone
// records, the build log, the artifacts, finished.json, latest-build.txt
// and the presubmit alias. Every write overwrites, so it may be repeated.
func (rn *run) upload(ctx context.Context) error {
	rn.mu.Lock()
	st := rn.st
	rn.mu.Unlock()
	if st.Uploaded {
		return nil
	}
	b, a, err := rn.openBucket(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = b.Close() }()
	for _, name := range []string{storage.CloneRecordsFile, storage.CloneLogFile, buildLogFile} {
		if err := uploadFile(ctx, b, filepath.Join(rn.dir, name), path.Join(a.Dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := rn.uploadArtifacts(ctx, b, a.Dir); err != nil {
		return err
	}
	if err := writeJSON(ctx, b, a.Dir, storage.FinishedFile, rn.finished(st)); err != nil {
		return err
	}
	if err := a.WriteLatestBuild(ctx, b); err != nil {
		return err
	}
	if err := a.WriteAlias(ctx, b); err != nil {
		return err
	}
	// Kept in memory only: after a restart, a run whose job the
	// controller has not finished yet is uploaded again (every write
	// overwrites), which is rarer than a save per run is costly.
	rn.set(func(s *state) { s.Uploaded = true })
	return nil
}

// finished is finished.json of the run, its metadata from
// $ARTIFACTS/metadata.json as Prow's sidecar merges it.
func (rn *run) finished(st state) storage.Finished {
	passed := st.Result == storage.ResultSuccess
	f := storage.Finished{Passed: &passed, Result: st.Result, Revision: jobs.Revision(rn.pj)}
	if st.Finished != nil {
		ts := st.Finished.Unix()
		f.Timestamp = &ts
	}
	data, err := readSmall(filepath.Join(rn.dir, artifactsDir, "metadata.json"), maxMetadata)
	if err == nil {
		var m storage.Metadata
		if err := json.Unmarshal(data, &m); err != nil {
			rn.log.WithError(err).Warn("Ignoring $ARTIFACTS/metadata.json: not a JSON object")
		} else {
			f.Metadata = m
		}
	}
	return f
}

func readSmall(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return io.ReadAll(io.LimitReader(f, limit))
}

// uploadFile puts a local file of the ended run into the bucket (a local
// bucket links it).
func uploadFile(ctx context.Context, b storage.Bucket, file, name string) error {
	if _, err := storage.WriteFile(ctx, b, name, file, storage.WriteOptions{}); err != nil {
		return fmt.Errorf("upload %s to %s: %w", file, b.URL(name), err)
	}
	return nil
}

// uploadArtifacts uploads every regular file under $ARTIFACTS, keeping
// its path; names the bucket cannot hold are skipped with a warning.
func (rn *run) uploadArtifacts(ctx context.Context, b storage.Bucket, dir string) error {
	root := filepath.Join(rn.dir, artifactsDir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		name := path.Join(dir, strings.TrimSuffix(storage.ArtifactsDir, "/"), filepath.ToSlash(rel))
		if err := storage.ValidatePath(name); err != nil {
			rn.log.WithError(err).WithField("artifact", rel).Warn("Skipping an artifact whose name the bucket cannot hold")
			return nil
		}
		return uploadFile(ctx, b, p, name)
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("upload the artifacts of job %s: %w", rn.pj.Name, err)
	}
	return nil
}
