// Package statusreconciler replaces Prow's status-reconciler: when the job
// configuration changes it brings the open pull requests in line with it.
// Presubmits that became blocking and run by themselves (new ones, ones
// that start reporting, that now always run or run for other files) are
// started on the trusted open pull requests they apply to, with the
// trigger plugin's trust rules; the pending or failed contexts of removed
// presubmits are retired (set to success, saying so); a presubmit whose
// context was renamed has its status moved to the new context.
//
// Diff (diff.go) is the pure decision, old configuration and new in,
// actions out; Reconciler (reconciler.go) carries the actions out on
// GitHub and the job store, and Run follows the config agent's reloads.
package statusreconciler
