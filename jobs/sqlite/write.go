package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// row is a job as stored: its record and the indexed columns.
type row struct {
	name, job, typ, state, org, repo string
	cluster                          string
	final                            bool
	version, start                   int64
	pending, completion              sql.NullInt64
	record                           []byte
	// stored is the job the record holds, set by encode (the reads
	// decode the record instead).
	stored *prowapi.ProwJob
}

// encode is pj at version as a row.
func encode(pj *prowapi.ProwJob, version int64) (*row, error) {
	c := pj.DeepCopy()
	c.ResourceVersion = strconv.FormatInt(version, 10)
	rec, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode job %s: %w", pj.Name, err)
	}
	r := &row{
		name: pj.Name, job: pj.Spec.Job, typ: string(pj.Spec.Type), state: string(pj.Status.State),
		final: pj.Status.State.IsFinal(), version: version, record: rec,
		start: toNanos(pj.Status.StartTime.Time), pending: nullNanos(pj.Status.PendingTime),
		completion: nullNanos(pj.Status.CompletionTime), stored: c, cluster: jobs.ClusterOf(pj),
	}
	if pj.Spec.Refs != nil {
		r.org, r.repo = pj.Spec.Refs.Org, pj.Spec.Refs.Repo
	}
	return r, nil
}

const insertJob = `INSERT INTO jobs (name, version, job, type, state, final, org, repo, start_ns, pending_ns, completion_ns, record, cluster)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`

const insertPull = `INSERT INTO job_pulls (name, org, repo, number, author) VALUES (?, ?, ?, ?, ?)`

// insert adds pj at version in tx; false if the name is taken.
func insert(ctx context.Context, tx *sql.Tx, pj *prowapi.ProwJob, version int64) (*row, bool, error) {
	r, err := encode(pj, version)
	if err != nil {
		return nil, false, err
	}
	res, err := tx.ExecContext(ctx, insertJob, r.name, r.version, r.job, r.typ, r.state, r.final, r.org, r.repo,
		r.start, r.pending, r.completion, r.record, r.cluster)
	if err != nil {
		return nil, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return nil, false, err
	}
	return r, true, insertPulls(ctx, tx, pj)
}

// insertPulls indexes the pulls of pj's refs.
func insertPulls(ctx context.Context, tx *sql.Tx, pj *prowapi.ProwJob) error {
	refs := pj.Spec.Refs
	if refs == nil {
		return nil
	}
	for _, p := range refs.Pulls {
		if _, err := tx.ExecContext(ctx, insertPull, pj.Name, refs.Org, refs.Repo, p.Number, p.Author); err != nil {
			return err
		}
	}
	return nil
}

// writeFunc does one write in tx at version, with the batch's ctx, and
// returns the event to report.
type writeFunc func(ctx context.Context, tx *sql.Tx, version int64) (*jobs.Event, error)

// write runs f at the next version and reports its event to the watchers
// once committed. Concurrent writes are committed together (group
// commit: see commitBatch); each still succeeds or fails on its own.
func (s *Store) write(ctx context.Context, f writeFunc) (*jobs.Event, error) {
	req := &writeReq{ctx: ctx, f: f, done: make(chan struct{})}
	s.qmu.Lock()
	s.queue = append(s.queue, req)
	lead := !s.leading
	s.leading = true
	s.qmu.Unlock()
	if lead {
		s.lead(req)
	}
	<-req.done
	return req.ev, req.err
}

// writeReq is a write waiting for its batch.
type writeReq struct {
	ctx  context.Context
	f    writeFunc
	ev   *jobs.Event
	err  error
	done chan struct{}
}

// maxBatch bounds the writes committed together.
const maxBatch = 128

// lead commits the queued writes, batch after batch, until own's is
// done (own is nil for a leader with no write of its own, which commits
// one batch); writes still queued then get a new leader, so that no
// caller leads for ever under a steady stream.
func (s *Store) lead(own *writeReq) {
	for {
		s.qmu.Lock()
		n := min(len(s.queue), maxBatch)
		if n == 0 {
			s.leading = false
			s.qmu.Unlock()
			return
		}
		batch := s.queue[:n:n]
		s.queue = s.queue[n:]
		s.qmu.Unlock()
		s.commitBatch(batch)
		for _, req := range batch {
			close(req.done)
		}
		if own == nil || isDone(own) {
			s.qmu.Lock()
			more := len(s.queue) > 0
			s.leading = more
			s.qmu.Unlock()
			if more {
				go s.lead(nil)
			}
			return
		}
	}
}

func isDone(req *writeReq) bool {
	select {
	case <-req.done:
		return true
	default:
		return false
	}
}

// commitBatch runs the batch's writes in one transaction, each inside a
// savepoint so that one that fails (a conflict, a taken name) is undone
// alone, then commits and reports the events in order. The statements
// run with a context of the store's, not the callers': canceling one
// statement could roll back the whole transaction.
func (s *Store) commitBatch(batch []*writeReq) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fail := func(err error) {
		for _, req := range batch {
			if req.err == nil {
				req.ev, req.err = nil, err
			}
		}
	}
	ctx := context.WithoutCancel(s.closing)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	version, err := s.runBatch(ctx, tx, batch)
	if err != nil {
		fail(err)
		return
	}
	if version != s.version {
		if _, err := tx.ExecContext(ctx, "UPDATE sequence SET value = ? WHERE id = 1", version); err != nil {
			fail(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
		return
	}
	s.version = version
	for _, req := range batch {
		if req.err != nil {
			continue
		}
		for w := range s.watchers {
			w.Push(jobs.Event{Type: req.ev.Type, Job: req.ev.Job.DeepCopy()})
		}
	}
}

// runBatch runs the batch's writes in tx and returns the version the
// last one wrote at; an error means tx must be rolled back.
func (s *Store) runBatch(ctx context.Context, tx *sql.Tx, batch []*writeReq) (int64, error) {
	version := s.version
	for _, req := range batch {
		if req.err = req.ctx.Err(); req.err != nil {
			continue
		}
		if len(batch) == 1 {
			// Alone in its transaction: a failure rolls all of it back.
			req.ev, req.err = req.f(ctx, tx, version+1)
			return version + bump(req), req.err
		}
		req.ev, req.err = writeOne(ctx, tx, req.f, version+1)
		if errors.Is(req.err, errUndone) {
			return version, req.err
		}
		version += bump(req)
	}
	return version, nil
}

// bump is how much a write moved the version: one, but for a delete or
// a write that failed.
func bump(req *writeReq) int64 {
	if req.err == nil && req.ev.Type != jobs.Deleted {
		return 1
	}
	return 0
}

// errUndone wraps the error of a write whose savepoint could not be
// rolled back: the transaction is then unusable.
var errUndone = errors.New("the write could not be undone")

// writeOne runs f inside a savepoint, rolled back if f fails.
func writeOne(ctx context.Context, tx *sql.Tx, f writeFunc, version int64) (*jobs.Event, error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT write"); err != nil {
		return nil, fmt.Errorf("%w: %w", errUndone, err)
	}
	ev, err := f(ctx, tx, version)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO write"); rerr != nil {
			return nil, fmt.Errorf("%w: %w (after %w)", errUndone, rerr, err)
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE write"); rerr != nil {
		return nil, fmt.Errorf("%w: %w", errUndone, rerr)
	}
	return ev, err
}

// Create implements jobs.Creator.
func (s *Store) Create(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	if pj.Name == "" {
		return nil, fmt.Errorf("create job %q: the name is empty", pj.Spec.Job)
	}
	ev, err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, version int64) (*jobs.Event, error) {
		r, ok, err := insert(ctx, tx, pj, version)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, jobs.ErrExists
		}
		return &jobs.Event{Type: jobs.Added, Job: r.stored}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("create job %s: %w", pj.Name, err)
	}
	return ev.Job.DeepCopy(), nil
}

const updateJob = `UPDATE jobs SET version = ?, job = ?, type = ?, state = ?, final = ?, org = ?, repo = ?,
	start_ns = ?, pending_ns = ?, completion_ns = ?, record = ?, cluster = ? WHERE name = ? AND version = ?`

// Update implements jobs.Updater.
func (s *Store) Update(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	ev, err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, version int64) (*jobs.Event, error) {
		r, err := encode(pj, version)
		if err != nil {
			return nil, err
		}
		// A version that is no number matches no row, as a stale one.
		have, _ := strconv.ParseInt(pj.ResourceVersion, 10, 64)
		res, err := tx.ExecContext(ctx, updateJob, r.version, r.job, r.typ, r.state, r.final, r.org, r.repo,
			r.start, r.pending, r.completion, r.record, r.cluster, r.name, have)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return nil, whyNot(ctx, tx, pj, err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM job_pulls WHERE name = ?", pj.Name); err != nil {
			return nil, err
		}
		if err := insertPulls(ctx, tx, pj); err != nil {
			return nil, err
		}
		return &jobs.Event{Type: jobs.Modified, Job: r.stored}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("update job %s: %w", pj.Name, err)
	}
	return ev.Job.DeepCopy(), nil
}

// whyNot says why an update changed no row: the job is missing, or its
// version is not the caller's.
func whyNot(ctx context.Context, tx *sql.Tx, pj *prowapi.ProwJob, err error) error {
	if err != nil {
		return err
	}
	var stored int64
	switch err := tx.QueryRowContext(ctx, "SELECT version FROM jobs WHERE name = ?", pj.Name).Scan(&stored); {
	case errors.Is(err, sql.ErrNoRows):
		return jobs.ErrNotFound
	case err != nil:
		return err
	}
	return fmt.Errorf("at version %q (stored %d): %w", pj.ResourceVersion, stored, jobs.ErrConflict)
}

// Delete implements jobs.Deleter. The Deleted event carries the job as
// it last was.
func (s *Store) Delete(ctx context.Context, name string) error {
	_, err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, _ int64) (*jobs.Event, error) {
		r, err := scanRow(tx.QueryRowContext(ctx, "SELECT "+columns+" FROM jobs WHERE name = ?", name))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, jobs.ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM jobs WHERE name = ?", name); err != nil {
			return nil, err
		}
		pj, err := r.decode()
		return &jobs.Event{Type: jobs.Deleted, Job: pj}, err
	})
	if err != nil {
		return fmt.Errorf("delete job %s: %w", name, err)
	}
	return nil
}
