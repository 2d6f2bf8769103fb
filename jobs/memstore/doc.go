// Package memstore is an in-memory job store: the reference
// implementation of jobs.Store for tests of the code that uses the store
// (plugins, reporters). Nothing is persisted.
//
// It meets the contract of jobs/storetest: times are kept to the
// nanosecond, resource versions are a global counter, Continue tokens
// name the last job listed (its start time and name) so pages stay
// stable while jobs are created or changed between them, and each
// watcher has an unbounded queue so a slow reader never blocks a writer.
package memstore
