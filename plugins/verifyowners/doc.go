// Package verifyowners is the verify-owners plugin: it checks the OWNERS
// and OWNERS_ALIASES files a pull request adds or modifies, when the pull
// request is opened, reopened or pushed to, and when anyone comments
// `/verify-owners`.
//
// The files are read at the pull request's head SHA (through prow/git);
// the file names are plugins.yaml's owners.filenames for the repo (OWNERS
// and OWNERS_ALIASES by default), and OWNERS files in directories Prow
// skips by default (.git, _output, vendor/*/*) are not checked. A file is
// invalid when:
//
//   - it does not parse (prow/owners' parser, which is not strict: unknown
//     keys are fine, a bad filter regex is not);
//   - an OWNERS file lists a label in owners.labels_denylist;
//   - the root OWNERS file, or an OWNERS file with no_parent_owners, names
//     no approvers (files under it would have nobody to approve them);
//   - a login it names as approver, reviewer or required reviewer, or an
//     alias member of OWNERS_ALIASES, is not a collaborator of the
//     repository. Aliases are resolved with OWNERS_ALIASES at the head.
//     Repos in owners.skip_collaborators skip this check. Unlike Prow,
//     every listed login is checked, not only those the patch adds, so
//     the result depends on the files alone.
//
// When some file is invalid, the pull request gets the
// do-not-merge/invalid-owners-file label and one comment from the bot,
// "N invalid OWNERS file(s)" with the reasons per file; the comment is
// marked with a hidden HTML comment and edited in place on later runs
// rather than repeated. When every file is valid (or none is modified any
// more), the label and the comment are removed.
package verifyowners
