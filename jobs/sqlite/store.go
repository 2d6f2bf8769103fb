package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"github.com/prowbot/prow/jobs"
)

// Options tune a Store; the zero value is the default.
type Options struct {
	// BusyTimeout is how long a statement waits for a lock held by
	// another connection before failing; zero means 5s.
	BusyTimeout time.Duration
	// FullSync makes every commit fsync the write-ahead log
	// (synchronous=FULL), so a returned write survives a power loss too.
	// The default, synchronous=NORMAL, survives a crash of the process.
	FullSync bool
}

// Store is the job store on one SQLite file. It is safe for concurrent
// use; Close it when done.
type Store struct {
	path string
	db   *sql.DB
	// globFewRuns overrides defaultFewRuns (tests; -1 never reads a
	// glob's runs by name).
	globFewRuns int

	// mu serializes writes, so the version counter, the order of commits
	// and the order of watch events are one.
	mu       sync.Mutex
	version  int64
	watchers map[*jobs.EventQueue]struct{}

	// qmu guards the writes waiting to be committed together and
	// whether a writer is committing them (leading).
	qmu     sync.Mutex
	queue   []*writeReq
	leading bool

	// closing ends every watch when the Store is closed.
	closing context.Context
	close   context.CancelFunc
}

var _ jobs.Store = (*Store)(nil)

// Open opens the job store in the file at path, creating it if missing
// and migrating its schema to this build's. A file that is not a SQLite
// database, or is one with a newer schema or another program's tables,
// fails with an error naming it and is left as it was.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	db, err := sql.Open("sqlite", dsn(path, opts))
	if err != nil {
		return nil, fmt.Errorf("open job store %s: %w", path, err)
	}
	conns := max(4, runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	s := &Store{path: path, db: db, watchers: map[*jobs.EventQueue]struct{}{}}
	if err := s.prepare(ctx); err != nil {
		_ = db.Close() // the error that matters is err
		return nil, fmt.Errorf("open job store %s: %w", path, err)
	}
	s.closing, s.close = context.WithCancel(context.Background())
	return s, nil
}

// dsn is the driver's name for the file with the pragmas every
// connection runs.
func dsn(path string, opts Options) string {
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	syncMode := "NORMAL"
	if opts.FullSync {
		syncMode = "FULL"
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "synchronous("+syncMode+")")
	q.Add("_pragma", "foreign_keys(ON)")
	return path + "?" + q.Encode()
}

// prepare checks the file is a job store (or new) before changing
// anything, switches it to write-ahead logging (a setting the file
// keeps), migrates the schema and reads the version counter.
func (s *Store) prepare(ctx context.Context) error {
	if err := checkOwner(ctx, s.db); err != nil {
		return err
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("the file system does not allow write-ahead logging (journal mode %s)", mode)
	}
	if err := migrate(ctx, s.db); err != nil {
		return err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM sequence WHERE id = 1").Scan(&s.version); err != nil {
		return fmt.Errorf("read the resource version: %w", err)
	}
	return nil
}

// Path is the file the store is in.
func (s *Store) Path() string { return s.path }

// Close ends every watch and closes the file; a Create, Update or Delete
// that returned is on disk.
func (s *Store) Close() error {
	s.close()
	// optimize refreshes the planner's statistics where they went stale;
	// failing to is no reason not to close.
	_, _ = s.db.Exec("PRAGMA optimize")
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close job store %s: %w", s.path, err)
	}
	return nil
}
