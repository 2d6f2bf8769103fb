// Package ondemand makes ProwJobs from the configuration on request, not
// from a GitHub event or a schedule: it is what Prow's mkpj tool and
// gangway's job construction do. A request names a job (and its type,
// when the caller knows it) and the refs it checks out; Build finds the
// job in the configuration and makes the ProwJob with jobs.Builder, the
// code trigger and the periodic scheduler make theirs with, so a job
// started by hand is the job an event would have started.
//
// A name the configuration does not hold is an *UnknownJobError naming
// the configured jobs whose names are close to it (Suggest).
package ondemand
