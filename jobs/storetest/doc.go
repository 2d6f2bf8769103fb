// Package storetest is the contract every jobs.Store implementation
// meets: a suite of tests a backend's own tests run against fresh
// stores (storetest.Run(t, newStore)).
//
// The suite covers the create/get round trip of every spec and status
// field, the sentinel errors (jobs.ErrExists, jobs.ErrNotFound,
// jobs.ErrConflict), resource versions, each Filter field and their
// combinations, ordering (newest first by start time, then name), paging
// with Continue tokens that stay stable while jobs are created between
// pages, watches (the initial Added events, then each change in order,
// unbounded so a slow reader never blocks a writer) and concurrent
// writers (run the tests with -race).
//
// Time precision: a store keeps the job's status times (start, pending,
// completion) to the nanosecond, the RFC3339Nano fidelity the embedded
// and in-memory stores promise. A backend that keeps less (Kubernetes
// keeps metav1.Time to the second) says so with RunWithOptions and
// Options.TimePrecision; the fixtures space their start times by minutes
// so the ordering tests hold at any precision up to a second.
//
// Resource versions are opaque: the suite checks that they change on
// every update that changes the job, that an update changing nothing
// returns a version to write with next, and that a stale one conflicts,
// not that they are numbers.
package storetest
