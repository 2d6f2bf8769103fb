package sqlite

import (
	"context"
	"fmt"
)

// defaultFewRuns is the most runs a job glob may match for List to read
// them by job name and sort them; above it List reads every job newest
// first and keeps the matching ones, which fills a page soon enough.
const defaultFewRuns = 2000

// globMatch is what a job glob matches: the job names and their runs,
// counted up to a limit (names is then incomplete).
type globMatch struct {
	names []string
	runs  int
}

// resolveGlob finds the job names a glob matches from jobs_by_job alone
// (a covering index, in name order), so a rare glob does not read every
// row; it stops once more than limit runs match.
func (s *Store) resolveGlob(ctx context.Context, glob string, limit int) (globMatch, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT job FROM jobs INDEXED BY jobs_by_job WHERE job GLOB ?", sqlGlob(glob))
	if err != nil {
		return globMatch{}, fmt.Errorf("match job glob %q: %w", glob, err)
	}
	defer func() { _ = rows.Close() }() // read-only; rows.Err reports failures
	var g globMatch
	for g.runs <= limit && rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return globMatch{}, fmt.Errorf("match job glob %q: %w", glob, err)
		}
		if n := len(g.names); n == 0 || g.names[n-1] != name {
			g.names = append(g.names, name)
		}
		g.runs++
	}
	if err := rows.Err(); err != nil {
		return globMatch{}, fmt.Errorf("match job glob %q: %w", glob, err)
	}
	return g, nil
}

// fewRuns is the store's threshold for reading a glob's runs by name.
func (s *Store) fewRuns() int {
	if s.globFewRuns != 0 {
		return max(s.globFewRuns, 0)
	}
	return defaultFewRuns
}
