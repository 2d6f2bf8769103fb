// Package contract is the job lifecycle contract every pair of job store
// and runner must meet under the controller: jobs succeed and fail as
// their runs do, aborts stop runs, concurrency limits hold, a newer run
// of a pull request replaces the older, timeouts end runs, and a
// restart of the controller at any point converges with no run started
// twice. The embedded backend (SQLite and local processes) and the
// cluster backend (ProwJob resources and pods) both run it.
package contract
