// Package tide is merge automation: it finds the pull requests tide's
// queries cover, decides for each one what it still lacks and which are
// ready to merge (pure functions of plain data, in decide.go, query.go,
// contexts.go and methods.go), keeps the "tide" status context on every
// pull request in scope saying exactly that, and merges ready pull requests
// one pool (org/repo/branch) at a time, rerunning presubmits first when
// they ran against an older base (the controller, in controller.go and
// sync.go).
//
// Merging is serial: one pull request per pool per sync, as Prow does when
// it does not batch. A pool whose GitHub reads fail is skipped and retried
// on the next sync; it never holds up the other pools.
package tide
