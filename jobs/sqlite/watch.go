package sqlite

import (
	"context"
	"fmt"

	"github.com/prowbot/prow/jobs"
)

// Watch implements jobs.Watcher. It starts with an Added event for every
// job, oldest first, read from a snapshot taken at the instant the
// watcher is registered, then reports every change made through this
// Store in commit order. Events queue without bound, so a slow reader
// never blocks a writer. The channel closes when ctx ends or the Store
// is closed.
func (s *Store) Watch(ctx context.Context) (<-chan jobs.Event, error) {
	w := jobs.NewEventQueue()
	initial, err := s.snapshot(ctx, w)
	if err != nil {
		return nil, fmt.Errorf("watch jobs in %s: %w", s.path, err)
	}
	w.Prepend(initial)
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.closing, cancel)
	out := make(chan jobs.Event)
	go func() {
		defer cancel()
		defer stop()
		w.Relay(ctx, out)
		s.mu.Lock()
		delete(s.watchers, w)
		s.mu.Unlock()
	}()
	return out, nil
}

// snapshot registers w and returns the Added events of the jobs stored
// at that instant: the read transaction's snapshot is taken while no
// write can commit, so every later commit reaches w's queue and no
// earlier one does.
func (s *Store) snapshot(ctx context.Context, w *jobs.EventQueue) ([]jobs.Event, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }() // read only
	s.mu.Lock()
	var version int64
	// The first read starts the transaction's snapshot.
	err = tx.QueryRowContext(ctx, "SELECT value FROM sequence WHERE id = 1").Scan(&version)
	if err == nil {
		s.watchers[w] = struct{}{}
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	events, err := readAll(ctx, tx)
	if err != nil {
		s.mu.Lock()
		delete(s.watchers, w)
		s.mu.Unlock()
		return nil, err
	}
	return events, nil
}

// readAll is an Added event for every job, oldest first.
func readAll(ctx context.Context, tx queryer) ([]jobs.Event, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+columns+" FROM jobs ORDER BY start_ns, name")
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }() // read-only; rows.Err reports failures
	var events []jobs.Event
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, err
		}
		pj, err := r.decode()
		if err != nil {
			return nil, err
		}
		events = append(events, jobs.Event{Type: jobs.Added, Job: pj})
	}
	return events, rows.Err()
}
