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
	final                            bool
	version, start                   int64
	pending, completion              sql.NullInt64
	record                           []byte
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
		completion: nullNanos(pj.Status.CompletionTime),
	}
	if pj.Spec.Refs != nil {
		r.org, r.repo = pj.Spec.Refs.Org, pj.Spec.Refs.Repo
	}
	return r, nil
}

const insertJob = `INSERT INTO jobs (name, version, job, type, state, final, org, repo, start_ns, pending_ns, completion_ns, record)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`

const insertPull = `INSERT INTO job_pulls (name, org, repo, number, author) VALUES (?, ?, ?, ?, ?)`

// insert adds pj at version in tx; false if the name is taken.
func insert(ctx context.Context, tx *sql.Tx, pj *prowapi.ProwJob, version int64) (*row, bool, error) {
	r, err := encode(pj, version)
	if err != nil {
		return nil, false, err
	}
	res, err := tx.ExecContext(ctx, insertJob, r.name, r.version, r.job, r.typ, r.state, r.final, r.org, r.repo,
		r.start, r.pending, r.completion, r.record)
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

// write runs f in a transaction at the next version, bumps the counter,
// commits and reports the event f returns to the watchers.
func (s *Store) write(ctx context.Context, f func(tx *sql.Tx, version int64) (*jobs.Event, error)) (*jobs.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	version := s.version + 1
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	ev, err := f(tx, version)
	if err != nil {
		return nil, err
	}
	if ev.Type != jobs.Deleted {
		if _, err := tx.ExecContext(ctx, "UPDATE sequence SET value = ? WHERE id = 1", version); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if ev.Type != jobs.Deleted {
		s.version = version
	}
	for w := range s.watchers {
		w.Push(jobs.Event{Type: ev.Type, Job: ev.Job.DeepCopy()})
	}
	return ev, nil
}

// Create implements jobs.Creator.
func (s *Store) Create(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	if pj.Name == "" {
		return nil, fmt.Errorf("create job %q: the name is empty", pj.Spec.Job)
	}
	ev, err := s.write(ctx, func(tx *sql.Tx, version int64) (*jobs.Event, error) {
		r, ok, err := insert(ctx, tx, pj, version)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, jobs.ErrExists
		}
		stored, err := r.decode()
		return &jobs.Event{Type: jobs.Added, Job: stored}, err
	})
	if err != nil {
		return nil, fmt.Errorf("create job %s: %w", pj.Name, err)
	}
	return ev.Job.DeepCopy(), nil
}

const updateJob = `UPDATE jobs SET version = ?, job = ?, type = ?, state = ?, final = ?, org = ?, repo = ?,
	start_ns = ?, pending_ns = ?, completion_ns = ?, record = ? WHERE name = ? AND version = ?`

// Update implements jobs.Updater.
func (s *Store) Update(ctx context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	ev, err := s.write(ctx, func(tx *sql.Tx, version int64) (*jobs.Event, error) {
		r, err := encode(pj, version)
		if err != nil {
			return nil, err
		}
		// A version that is no number matches no row, as a stale one.
		have, _ := strconv.ParseInt(pj.ResourceVersion, 10, 64)
		res, err := tx.ExecContext(ctx, updateJob, r.version, r.job, r.typ, r.state, r.final, r.org, r.repo,
			r.start, r.pending, r.completion, r.record, r.name, have)
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
		stored, err := r.decode()
		return &jobs.Event{Type: jobs.Modified, Job: stored}, err
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
	_, err := s.write(ctx, func(tx *sql.Tx, _ int64) (*jobs.Event, error) {
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
