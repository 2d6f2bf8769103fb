package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations are the schema's steps in order; migration i+1 takes the
// schema from version i to i+1. Append, never edit a released one.
func migrations() []string {
	return []string{
		// 1: jobs, their pulls, the version counter.
		`CREATE TABLE jobs (
			name          TEXT    NOT NULL PRIMARY KEY,
			version       INTEGER NOT NULL,
			job           TEXT    NOT NULL,
			type          TEXT    NOT NULL,
			state         TEXT    NOT NULL,
			final         INTEGER NOT NULL,
			org           TEXT    NOT NULL,
			repo          TEXT    NOT NULL,
			start_ns      INTEGER NOT NULL,
			pending_ns    INTEGER,
			completion_ns INTEGER,
			record        BLOB    NOT NULL
		);
		CREATE INDEX jobs_by_start      ON jobs (start_ns, name);
		CREATE INDEX jobs_by_repo       ON jobs (org, repo, start_ns, name);
		CREATE INDEX jobs_by_repo_state ON jobs (org, repo, state, start_ns, name);
		CREATE INDEX jobs_by_job        ON jobs (job, start_ns, name);
		CREATE INDEX jobs_by_state      ON jobs (state, start_ns, name);
		CREATE INDEX jobs_by_type       ON jobs (type, start_ns, name);
		CREATE INDEX jobs_incomplete    ON jobs (start_ns, name) WHERE final = 0;
		CREATE TABLE job_pulls (
			name   TEXT    NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
			org    TEXT    NOT NULL,
			repo   TEXT    NOT NULL,
			number INTEGER NOT NULL,
			author TEXT    NOT NULL
		);
		CREATE INDEX job_pulls_by_name   ON job_pulls (name);
		CREATE INDEX job_pulls_by_number ON job_pulls (number, org, repo);
		CREATE INDEX job_pulls_by_author ON job_pulls (author);
		CREATE TABLE sequence (
			id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
			value INTEGER NOT NULL
		);
		INSERT INTO sequence (id, value) VALUES (1, 0);`,
		// 2: authors are looked up in any case, as GitHub logins are.
		`DROP INDEX job_pulls_by_author;
		CREATE INDEX job_pulls_by_author ON job_pulls (author COLLATE NOCASE);`,
		// 3: tide's history of actions, by pool, oldest first by id.
		`CREATE TABLE tide_history (
			id     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
			pool   TEXT    NOT NULL,
			record BLOB    NOT NULL
		);
		CREATE INDEX tide_history_by_pool ON tide_history (pool, id);`,
		// 4: the build cluster, for deck's cluster filter.
		`ALTER TABLE jobs ADD COLUMN cluster TEXT NOT NULL DEFAULT '';
		UPDATE jobs SET cluster = coalesce(nullif(json_extract(record, '$.spec.cluster'), ''), 'default');
		CREATE INDEX jobs_by_cluster ON jobs (cluster, start_ns, name);`,
	}
}

// migrate brings the schema to this build's version in one transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate the schema: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op once committed
	have, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	steps := migrations()
	if have > len(steps) {
		return fmt.Errorf("the schema is at version %d, newer than this build knows (%d): run a newer prow", have, len(steps))
	}
	if have == len(steps) {
		return nil
	}
	for i := have; i < len(steps); i++ {
		if _, err := tx.ExecContext(ctx, steps[i]); err != nil {
			return fmt.Errorf("migrate the schema to version %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
			i+1, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("record schema version %d: %w", i+1, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate the schema to version %d: %w", len(steps), err)
	}
	return nil
}

// checkOwner fails unless the file is new or a job store: a database
// holding other tables and no schema_version is another program's. It
// only reads, so a file it refuses is left as it was.
func checkOwner(ctx context.Context, db *sql.DB) error {
	var tables int
	var ours bool
	err := db.QueryRowContext(ctx, `SELECT count(*), coalesce(max(name = 'schema_version'), 0)
		FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&tables, &ours)
	if err != nil {
		return fmt.Errorf("read the schema: %w", err)
	}
	if !ours && tables > 0 {
		return fmt.Errorf("the database holds %d tables and no schema_version: not a job store", tables)
	}
	return nil
}

// schemaVersion is the schema's version, creating the version table in a
// new file.
func schemaVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER NOT NULL PRIMARY KEY,
		applied_at TEXT    NOT NULL
	)`); err != nil {
		return 0, fmt.Errorf("create the schema version table: %w", err)
	}
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read the schema version: %w", err)
	}
	return v, nil
}
