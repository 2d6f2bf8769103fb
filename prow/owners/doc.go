// Package owners reads OWNERS and OWNERS_ALIASES files the way Prow does
// and answers who approves and who reviews a file: the approvers and
// reviewers of every directory from the file up to the root (stopping
// where no_parent_owners says so), the closest approvers, the OWNERS file
// that approves a file, the labels that apply, and a small set of
// approvers that covers a whole change.
//
// Files are read from an fs.FS: a checkout of the pull request's base
// (os.DirFS) in production, an in-memory tree in tests.
package owners
