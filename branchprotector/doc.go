// Package branchprotector applies the branch-protection section of
// config.yaml to GitHub. It replaces Prow's branchprotector: the policy of
// each branch is the top-level policy overridden by its org's, its repo's
// and its own (lists add up, settings below win), and the status contexts
// of the repository's required presubmits are required on top of the
// configured ones. It reads each branch's current protection and writes
// only what differs; without confirmation it prints the plan and changes
// nothing.
//
// The decisions (policy merge, required contexts, the desired rule and
// its difference from the current one) are pure functions in policy.go
// and plan.go; protector.go is the thin layer that talks to GitHub.
package branchprotector
