package sqlite

import (
	"context"
	"fmt"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Import adds many jobs in one transaction, keeping their names and
// statuses: for moving records over from Prow (its ProwJobs, as `kubectl
// get prowjobs -o json` lists them) and for filling a store in benchmarks.
// Jobs whose name is taken are skipped, so an import can be repeated. It
// returns how many it added. Watchers are not told: an import is a
// restore, not a stream of changes.
func (s *Store) Import(ctx context.Context, pjs []*prowapi.ProwJob) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("import jobs into %s: %w", s.path, err)
	}
	defer func() { _ = tx.Rollback() }()
	added := 0
	for _, pj := range pjs {
		if pj.Name == "" {
			return 0, fmt.Errorf("import jobs into %s: a job of %s has no name", s.path, pj.Spec.Job)
		}
		_, ok, err := insert(ctx, tx, pj, s.version+int64(added)+1)
		if err != nil {
			return 0, fmt.Errorf("import job %s into %s: %w", pj.Name, s.path, err)
		}
		if ok {
			added++
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE sequence SET value = ? WHERE id = 1", s.version+int64(added)); err != nil {
		return 0, fmt.Errorf("import jobs into %s: %w", s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("import jobs into %s: %w", s.path, err)
	}
	s.version += int64(added)
	return added, nil
}
