// Package tide is merge automation on Prow's tide configuration: it finds
// the pull requests tide's queries cover, decides for each one what it
// still lacks and what each pool (org/repo/branch at the branch's head)
// does next, keeps the "tide" status on every pull request in scope
// saying exactly that, and acts.
//
// The decisions are pure functions of plain data: Decide (query.go,
// contexts.go, methods.go, decide.go) judges each pull request, Plan
// (plan.go, runs.go) picks each pool's action: merge a batch that passed,
// merge the first ready pull request, test candidates together as a
// batch (bisecting a batch that failed), test the next ones on top of a
// running batch (speculative_depth), rerun the presubmits of a pull
// request tested on an older base, or wait. The Controller
// (controller.go, load.go, act.go, batch.go, speculative.go: what landed
// under a speculative batch, abandoning those that no longer count)
// reads GitHub with one search per query and conditional requests,
// reads, creates and aborts ProwJobs in the job store, and merges. A pool whose reads fail is skipped and retried on the next sync;
// it never holds up the other pools. The Controller also serves the pools
// and the history of its actions as JSON (http.go, history.go).
//
// The history survives restarts through a HistoryStore (historystore.go):
// BlobHistory over the job store's SQLite database in the embedded mode,
// ConfigMapHistory (one ConfigMap, tide-history, in tide's namespace,
// capped in size) in the cluster mode. The Controller reads it before its
// first sync or history request and appends each record as it acts.
package tide
