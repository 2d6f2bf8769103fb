package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/clone"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// run is a run this process started.
type run struct {
	r   *Runner
	pj  *prowapi.ProwJob
	dir string
	log *logrus.Entry
	// done is closed when the run is over, uploads included; stop when
	// it is aborted.
	done, stop chan struct{}
	stopOnce   sync.Once

	mu sync.Mutex
	st state
	// dirty: st has changed since it was last saved; saveMu orders
	// the saves.
	dirty  bool
	saveMu sync.Mutex
	// running is set while the command runs and after.
	running bool
	// holdsStart: the run's goroutine holds a start slot; startDone: it
	// has left the runner's starting gate.
	holdsStart, startDone bool
}

// acquireStart waits for one of the runner's start slots: the CPU-bound
// steps before a command starts are done by a few runs at a time, so a
// burst of a thousand jobs starts in order instead of all crawling
// together (and starving the controller). False when ctx ends first.
func (rn *run) acquireStart(ctx context.Context) bool {
	select {
	case rn.r.startSlots <- struct{}{}:
		rn.holdsStart = true
		return true
	case <-ctx.Done():
		return false
	}
}

// releaseStart gives the start slot back, if the run holds it.
func (rn *run) releaseStart() {
	if rn.holdsStart {
		rn.holdsStart = false
		<-rn.r.startSlots
	}
}

// abort asks the run to end as aborted.
func (rn *run) abort() { rn.stopOnce.Do(func() { close(rn.stop) }) }

func (rn *run) aborted() bool {
	select {
	case <-rn.stop:
		return true
	default:
		return false
	}
}

// set changes the run's state in memory only.
func (rn *run) set(f func(*state)) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	f(&rn.st)
	rn.dirty = true
}

// save writes the state unless the file has it already.
func (rn *run) save() {
	rn.saveMu.Lock()
	defer rn.saveMu.Unlock()
	rn.mu.Lock()
	st, dirty := rn.st, rn.dirty
	rn.dirty = false
	rn.mu.Unlock()
	if !dirty {
		return
	}
	if err := writeState(rn.dir, st); err != nil {
		rn.log.WithError(err).Error("Could not save the run's state")
		rn.mu.Lock()
		rn.dirty = true
		rn.mu.Unlock()
	}
}

// update changes the run's state and saves it.
func (rn *run) update(f func(*state)) {
	rn.set(f)
	rn.save()
}

// saveWhenIdle saves the state once no burst of runs is starting, and
// then tells that the run changed: its command runs, and a restart finds
// it.
func (rn *run) saveWhenIdle(ctx context.Context) {
	rn.r.wg.Add(1)
	go func() {
		defer rn.r.wg.Done()
		if rn.r.starting.waitIdle(ctx) {
			rn.save()
			rn.r.changed(rn.pj.Name)
		}
	}()
}

// status is the run's status; retry says that the run is over but its
// uploads failed, to be retried from the state on disk.
func (rn *run) status() (st jobs.RunStatus, retry bool) {
	select {
	case <-rn.done:
		rn.mu.Lock()
		defer rn.mu.Unlock()
		if rn.st.Phase.Done() {
			return rn.st.runStatus(), !rn.st.Uploaded
		}
		// Ended by Close without an outcome.
		return jobs.RunStatus{Phase: jobs.RunError, Message: interruptedMessage, StartedAt: rn.st.startedAt()}, false
	default:
	}
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if rn.running {
		return jobs.RunStatus{Phase: jobs.RunRunning, StartedAt: rn.st.startedAt()}, false
	}
	return jobs.RunStatus{Phase: jobs.RunPending}, false
}

// main does the run: the work, then the uploads. When ctx ends (Close)
// the run stops without recording an outcome.
func (rn *run) main(ctx context.Context) {
	defer func() {
		close(rn.done)
		rn.r.changed(rn.pj.Name)
	}()
	rn.log.Info("Starting the run")
	ok := rn.work(ctx)
	rn.started() // when the command did not run
	if !ok {
		rn.log.Warn("The run was interrupted: the runner is closing")
		return
	}
	if !rn.r.acquireUpload(ctx) {
		return
	}
	err := rn.upload(ctx)
	rn.r.releaseUpload()
	if err != nil && ctx.Err() != nil {
		rn.log.WithError(err).Error("Could not upload the run's results before closing; the next status will retry")
		return
	}
	if err != nil {
		// As a pod whose sidecar cannot upload: the storage client tried
		// each request a bounded number of times with backoff, and the
		// job fails.
		rn.log.WithError(err).Error("Could not upload the run's results: the job fails")
		rn.update(func(s *state) {
			s.Phase, s.Result, s.Message = jobs.RunFailed, storage.ResultFailure, uploadFailedMessage
			s.Uploaded = true // nothing more will be tried
		})
		return
	}
	rn.mu.Lock()
	result := rn.st.Result
	rn.mu.Unlock()
	rn.log.WithField("result", result).Info("The run is over")
}

// uploadFailedMessage is the message of a run whose results could not
// be uploaded.
const uploadFailedMessage = "The job's results could not be uploaded."

// fail ends the run before its command could run.
func (rn *run) fail(phase jobs.RunPhase, result, message string) bool {
	rn.update(func(s *state) { s.end(phase, result, message, rn.r.now()) })
	return true
}

// work clones and runs the command, and records the outcome in the
// state; it returns false when ctx ended first.
func (rn *run) work(ctx context.Context) bool {
	if !rn.acquireStart(ctx) {
		return false
	}
	defer rn.releaseStart()
	spec, err := rn.prepare()
	if err != nil {
		rn.update(func(s *state) { s.Uploaded = true }) // nowhere or nothing to upload
		return rn.fail(jobs.RunError, "", err.Error())
	}
	b, a, err := rn.openBucket(ctx)
	if err != nil {
		rn.update(func(s *state) { s.Uploaded = true })
		return rn.fail(jobs.RunError, "", err.Error())
	}
	defer func() { _ = b.Close() }()
	// started.json is written while the clone and the command go on,
	// so that a burst of starting jobs is not held up by uploads.
	su := rn.writeStartedAsync(ctx, b, a.Dir, jobs.StartedOf(rn.pj, rn.r.now()))
	defer su.finish(ctx, rn.log)
	if refs := clone.RefsOf(rn.pj); len(refs) > 0 && !skipCloning(rn.pj) {
		if done, ok := rn.cloneStep(ctx, refs, su); done {
			return ok
		}
	}
	if rn.aborted() {
		return rn.fail(jobs.RunFailed, storage.ResultAborted, abortedMessage)
	}
	return rn.execute(ctx, spec)
}

// cloneStep clones the refs outside the start slot and records the
// cloned SHA in started.json. done says the run is over (with work's
// result in ok).
func (rn *run) cloneStep(ctx context.Context, refs []prowapi.Refs, su *startedUpload) (done, ok bool) {
	rn.releaseStart() // a clone waits on the network, not the CPU
	records, cloned := rn.clone(ctx, refs)
	if ctx.Err() != nil || !rn.acquireStart(ctx) {
		return true, false
	}
	if rn.aborted() {
		return true, rn.fail(jobs.RunFailed, storage.ResultAborted, abortedMessage)
	}
	if !cloned {
		return true, rn.fail(jobs.RunFailed, storage.ResultFailure, "Cloning the job's refs failed: "+clone.Failed(records).Error())
	}
	if sha := clone.FinalSHA(records); sha != "" {
		if err := su.update(ctx, func(s *storage.Started) { s.RepoCommit, s.RepoVersion = sha, sha }); err != nil {
			rn.log.WithError(err).Warn("Could not rewrite started.json with the cloned SHA")
		}
	}
	return false, false
}

// clone clones refs into the run's code directory and keeps the records
// (and, when it failed, the clone log as the build log) for the upload.
func (rn *run) clone(ctx context.Context, refs []prowapi.Refs) ([]clone.Record, bool) {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-rn.stop:
			cancel()
		case <-cctx.Done():
		}
	}()
	records := rn.r.cloner.Clone(cctx, filepath.Join(rn.dir, codeDir), refs)
	failed := clone.Failed(records) != nil
	data, err := json.MarshalIndent(records, "", "\t")
	if err == nil {
		err = os.WriteFile(filepath.Join(rn.dir, storage.CloneRecordsFile), data, 0o644)
	}
	cloneLog := clone.FormatRecords(records)
	if err == nil {
		err = os.WriteFile(filepath.Join(rn.dir, storage.CloneLogFile), []byte(cloneLog), 0o644)
	}
	if err == nil && failed {
		err = os.WriteFile(filepath.Join(rn.dir, buildLogFile), []byte(cloneLog), 0o644)
	}
	if err != nil {
		rn.log.WithError(err).Error("Could not keep the clone records")
	}
	return records, !failed
}

// openBucket opens the bucket of the job's artifacts.
func (rn *run) openBucket(ctx context.Context) (storage.Bucket, jobs.Artifacts, error) {
	a, err := jobs.ArtifactsOf(rn.pj)
	if err != nil {
		return nil, a, err
	}
	b, err := rn.r.opts.Buckets.Open(ctx, jobs.BucketAddress(a.Bucket))
	if err != nil {
		return nil, a, fmt.Errorf("open bucket %s of job %s: %w", a.Bucket, rn.pj.Name, err)
	}
	return b, a, nil
}

func skipCloning(pj *prowapi.ProwJob) bool {
	dc := pj.Spec.DecorationConfig
	return dc != nil && dc.SkipCloning != nil && *dc.SkipCloning
}

// writeJSON writes v as name in the job's directory.
func writeJSON(ctx context.Context, b storage.Bucket, dir, name string, v any) error {
	p := path.Join(dir, name)
	if _, err := storage.WriteJSON(ctx, b, p, v, storage.WriteOptions{}); err != nil {
		return fmt.Errorf("write %s: %w", b.URL(p), err)
	}
	return nil
}

var errNoCommand = errors.New("the job has no command: the local runner does not use container images, so a container needs a command or args")
