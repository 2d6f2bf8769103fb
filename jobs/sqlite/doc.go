// Package sqlite is the embedded job store: jobs.Store on one SQLite
// file through the pure-Go driver modernc.org/sqlite (no cgo).
//
// # Schema
//
// Table jobs holds one row per job, keyed by name: the ProwJob as JSON
// plus the columns the questions of deck, the controller and the plugins
// need, each behind an index that also orders by (start_ns, name) so a
// filtered first page is an index range scan, never a sort of the table:
// state, job name, type, org and repo, a final flag (the partial index of
// incomplete jobs the controller walks), start, pending and completion
// times in nanoseconds, and the resource version. Table job_pulls holds
// every pull of a job's refs (a batch has several), indexed by number and
// by author, for the Pull and Author filters. Table sequence holds the
// global resource-version counter, and schema_version the migrations
// applied; opening a file whose schema is newer than this build fails.
// Table tide_history keeps tide's history of actions (opaque records by
// pool, the latest few hundred of each) so it survives a restart
// (tidehistory.go).
//
// Status times are kept to the nanosecond in their own columns (the JSON
// of a metav1.Time holds seconds); the other metadata times hold seconds.
//
// # Durability
//
// The file is in WAL mode with synchronous=NORMAL by default: a commit
// appends to the write-ahead log with write(2) before Create, Update or
// Delete returns, so a returned write survives the process being killed
// (SIGKILL, a panic, an OOM kill), as the crash test shows; only a power
// loss or kernel crash can take the last commits back (the file stays
// consistent). Options.FullSync selects synchronous=FULL, an fsync per
// commit, for machines where that matters more than write throughput.
//
// # Ownership and watches
//
// One process owns the file. Writes are serialized in the Store and
// Watch fans out the changes made through this Store in-process; a
// second process writing the same file would not be seen by the watches
// of the first. Each watcher has an unbounded queue, so a slow reader
// never blocks a writer. A watch starts with an Added event for every
// job in a read snapshot taken at the instant the watcher is registered,
// so no change is missed or reported twice between snapshot and stream.
//
// # Paging
//
// List uses keyset pagination: the Continue token is the opaque base64 of
// the last job's (start time, name), and the next page starts strictly
// after it in newest-first order, so pages stay stable while jobs are
// created, changed or deleted between them. There is no OFFSET.
package sqlite
