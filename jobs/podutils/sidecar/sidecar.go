package sidecar

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/downward"
	"github.com/prowbot/prow/jobs/podutils/marker"
	"github.com/prowbot/prow/jobs/podutils/options"
	"github.com/prowbot/prow/jobs/podutils/upload"
	"github.com/prowbot/prow/prow/storage"
)

// ErrorsKey is the finished.json metadata key of the metadata files that
// could not be read.
const ErrorsKey = "sidecar-errors"

// maxMetadata bounds a metadata file.
const maxMetadata = 1 << 20

// Deps are what sidecar needs besides its options.
type Deps struct {
	// Open opens the bucket (upload.DefaultOpener when nil).
	Open upload.Opener
	// Interrupt delivers SIGINT and SIGTERM; nil when there are none.
	Interrupt <-chan os.Signal
	// Now is the clock of finished.json (time.Now when nil).
	Now func() time.Time
	// Log logs the run (the standard logger when nil).
	Log *logrus.Entry
}

func (d Deps) withDefaults(o options.Sidecar) Deps {
	if d.Open == nil {
		d.Open = upload.DefaultOpener(o.GCS.StorageClient)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = logrus.NewEntry(logrus.StandardLogger())
	}
	return d
}

// Outcome is how the entries ended.
type Outcome struct {
	Passed, Aborted bool
	// Failures counts the entries that failed (not those skipped because
	// a previous step failed).
	Failures int
}

// Result is finished.json's result of an outcome.
func (o Outcome) Result() string {
	switch {
	case o.Passed:
		return storage.ResultSuccess
	case o.Aborted:
		return storage.ResultAborted
	default:
		return storage.ResultFailure
	}
}

// Summarize is the outcome of the entries from what their markers said.
func Summarize(entries []options.Wrapper, results map[string]marker.Result) Outcome {
	out := Outcome{Passed: true}
	for _, e := range entries {
		r, ok := results[e.MarkerFile]
		if !ok {
			r = marker.Result{Code: -1, Err: errors.New("no marker")}
		}
		out.Passed = out.Passed && r.Err == nil && r.Code == 0
		out.Aborted = out.Aborted || r.Code == marker.AbortedErrorCode
		if r.Code != 0 && r.Code != marker.PreviousErrorCode {
			out.Failures++
		}
	}
	return out
}

// Run waits for the markers of the entries of o (which must be valid),
// then uploads the job's results for the job of spec. It returns how the
// entries ended; it fails when the upload did, or when ctx ended first.
func Run(ctx context.Context, o options.Sidecar, spec downward.JobSpec, d Deps) (Outcome, error) {
	d = d.withDefaults(o)
	entries := o.AllEntries()
	paths := make([]string, len(entries))
	for i, e := range entries {
		paths[i] = e.MarkerFile
	}
	waitCtx, stopWaiting := context.WithCancel(ctx)
	var early sync.WaitGroup
	early.Go(func() { onInterrupt(waitCtx, o, spec, d, entries) })
	results := marker.Wait(waitCtx, paths...)
	stopWaiting()
	early.Wait()
	if err := ctx.Err(); err != nil {
		return Outcome{}, fmt.Errorf("wait for the test of job %s: %w", spec.Job, err)
	}
	out := Summarize(entries, results)
	for _, p := range paths {
		if err := results[p].Err; err != nil {
			d.Log.WithError(err).Warn("Could not read a marker")
		}
	}
	return out, uploadAll(ctx, o, spec, d, entries, out)
}

// onInterrupt makes the first SIGINT or SIGTERM upload what there is,
// as aborted, unless interrupts are ignored; it returns when ctx ends.
func onInterrupt(ctx context.Context, o options.Sidecar, spec downward.JobSpec, d Deps, entries []options.Wrapper) {
	interrupt := d.Interrupt
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-interrupt:
			if o.IgnoreInterrupts {
				d.Log.WithField("signal", s.String()).Warn("Ignoring the signal: uploading when the test is over")
				continue
			}
			interrupt = nil
			d.Log.WithField("signal", s.String()).Warn("Interrupted before the test was over: uploading what there is")
			if err := uploadAll(context.WithoutCancel(ctx), o, spec, d, entries, Outcome{Aborted: true}); err != nil {
				d.Log.WithError(err).Error("The early upload failed")
			}
		}
	}
}

// uploadAll censors and uploads the logs, the items, finished.json and
// latest-build.txt.
func uploadAll(ctx context.Context, o options.Sidecar, spec downward.JobSpec, d Deps, entries []options.Wrapper, out Outcome) error {
	var cen *censor
	if c := o.Censoring(); c != nil {
		var err error
		if cen, err = newCensor(*c); err != nil {
			// Uploading uncensored files would leak the secrets.
			return fmt.Errorf("load the secrets to censor from the results of job %s: %w", spec.Job, err)
		}
	}
	t, err := upload.Open(ctx, spec, o.GCS, d.Open, d.Log)
	if err != nil {
		return err
	}
	defer func() { _ = t.Close() }()
	if cen != nil {
		t.SetFilter(cen.filter)
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, putLog(ctx, t, e, len(entries) > 1, cen))
	}
	errs = append(errs, t.PutItems(ctx, o.GCS.Items))
	passed, ts := out.Passed, d.Now().Unix()
	finished := storage.Finished{
		Timestamp: &ts, Passed: &passed, Result: out.Result(),
		Revision: jobs.Revision(upload.ProwJobOf(spec, o.GCS.Config())),
		Metadata: combineMetadata(entries, d.Log),
	}
	errs = append(errs, t.PutJSON(ctx, storage.FinishedFile, finished), t.Latest(ctx))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("upload the results of job %s build %s to %s: %w", spec.Job, spec.BuildID, t.URL(), err)
	}
	d.Log.WithFields(logrus.Fields{"to": t.URL(), "result": out.Result()}).Info("Uploaded the results of the job")
	return nil
}

// putLog uploads an entry's process log as its build log; a log that
// cannot be read becomes a build log saying so.
func putLog(ctx context.Context, t *upload.Target, e options.Wrapper, several bool, cen *censor) error {
	name := storage.BuildLogFile
	if several {
		name = storage.ContainerBuildLogFile(e.ContainerName)
	}
	f, err := os.Open(e.ProcessLog)
	if err != nil {
		return t.PutBytes(ctx, name, []byte(fmt.Sprintf("Failed to open %s: %v\n", e.ProcessLog, err)))
	}
	defer func() { _ = f.Close() }()
	return t.Put(ctx, name, cen.wrap(f))
}

// combineMetadata merges the JSON objects of the entries' metadata
// files; the files that exist but cannot be read are listed under
// ErrorsKey.
func combineMetadata(entries []options.Wrapper, log *logrus.Entry) storage.Metadata {
	md := storage.Metadata{}
	failures := map[string]string{}
	for i, e := range entries {
		if e.MetadataFile == "" {
			continue
		}
		piece, err := readMetadata(e.MetadataFile)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			log.WithError(err).Warn("Could not read a metadata file")
			failures[fmt.Sprintf("entry %d: %s", i, strings.Join(e.Args, " "))] = err.Error()
			continue
		}
		for k, v := range piece {
			md[k] = v
		}
	}
	if len(failures) > 0 {
		md[ErrorsKey] = failures
	}
	if len(md) == 0 {
		return nil
	}
	return md
}

func readMetadata(file string) (map[string]any, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, maxMetadata))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	var piece map[string]any
	if err := json.Unmarshal(data, &piece); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object: %w", file, err)
	}
	return piece, nil
}
