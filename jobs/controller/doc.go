// Package controller drives jobs through their states, as Prow's plank
// does: it starts triggered jobs within the global and per-job
// concurrency limits and the job queues' capacities
// (plank.job_queue_capacities), watches their runs, enforces the pending and
// running timeouts, aborts runs a newer run of the same pull request
// replaced, and stops aborted runs.
//
// Every decision is made by Decide, one pure function of the job, its
// run and the counts around it. The controller around it is
// level-based: it reacts to store watch events and resyncs on a timer,
// reads the run's state from the runner each time, and never assumes
// what it did before a restart, so a restart at any point converges.
// A job is written as pending, with its build ID, before its run is
// started: a crash in between leaves a pending job with no run, which is
// then started once; a run that was started is never started again. A
// runner whose runs are found again by the job's name and carry their
// build ID (jobs.StartingRunner: pods) is started first, as Prow's plank
// does, and the pending write records the run too: two writes per job
// (pending, final) instead of three. A crash in between leaves a
// triggered job whose run exists; the next start finds it and keeps its
// build ID.
//
// Job names wait for the workers in controller-runtime's priority queue
// (pkg/controller/priorityqueue, the queue of Prow's controllers), jobs
// waiting to start ahead of runs to look at again. Run runs the
// controller with its own workers (the embedded mode); Register makes it
// the reconciler "plank" of a controller-runtime manager (cluster mode),
// whose workers, leader election and metrics it then uses. The counts Decide
// needs come from the controller's own indexes over the store's watch,
// which work with every job store, embedded or cluster.
package controller
