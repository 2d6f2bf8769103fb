// Package branchcleaner is the branchcleaner plugin (Prow's
// pkg/plugins/branchcleaner): once a pull request whose branch lives in
// the repository itself (not in a fork) is merged, the bot deletes the
// branch.
//
// It leaves alone the branches that branch_cleaner.preserved_branches in
// plugins.yaml lists for the org or the org/repo (exact names), the
// repository's default branch, and, unlike Prow, a branch that open pull
// requests still target (deleting it would close them). Deleting a branch
// that is already gone is no error, so a replayed delivery does nothing
// more.
//
// Decide is pure; the handler around it asks GitHub for open pull
// requests on the branch and deletes the ref.
package branchcleaner
