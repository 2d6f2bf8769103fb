package sqlite

import (
	"context"
	"fmt"
)

// AppendTideHistory keeps one of tide's history records (opaque to the
// store) for pool, and drops the pool's oldest beyond keep, in one
// transaction.
func (s *Store) AppendTideHistory(ctx context.Context, pool string, record []byte, keep int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store a tide history record of %s: %w", pool, err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	if _, err := tx.ExecContext(ctx, "INSERT INTO tide_history (pool, record) VALUES (?, ?)", pool, record); err != nil {
		return fmt.Errorf("store a tide history record of %s: %w", pool, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM tide_history WHERE pool = ?1 AND id <=
		(SELECT id FROM tide_history WHERE pool = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`, pool, max(keep, 1)); err != nil {
		return fmt.Errorf("trim the tide history of %s: %w", pool, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store a tide history record of %s: %w", pool, err)
	}
	return nil
}

// TideHistory returns every pool's tide history records, oldest first.
func (s *Store) TideHistory(ctx context.Context) (map[string][][]byte, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT pool, record FROM tide_history ORDER BY pool, id")
	if err != nil {
		return nil, fmt.Errorf("read the tide history: %w", err)
	}
	defer rows.Close()
	out := map[string][][]byte{}
	for rows.Next() {
		var pool string
		var record []byte
		if err := rows.Scan(&pool, &record); err != nil {
			return nil, fmt.Errorf("read the tide history: %w", err)
		}
		out[pool] = append(out[pool], record)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the tide history: %w", err)
	}
	return out, nil
}
