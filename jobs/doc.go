// Package jobs is the job side of the bot: the job store interface that
// both the embedded (SQLite) and cluster (ProwJob resources) backends
// implement, building ProwJobs from configured jobs, and the questions
// plugins ask of the store (create a run, abort a pull request's runs).
//
// A job record is the ProwJob type of prow/api/v1, whatever the backend.
package jobs
