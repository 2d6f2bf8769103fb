// Package invalidcommitmsg is the invalidcommitmsg plugin (Prow's
// pkg/plugins/invalidcommitmsg). Commit messages end up in the history of
// the base branch, where an @mention pings someone again on every
// rebase and fork, and a keyword such as "Fixes #12" closes the issue
// whenever the commit lands anywhere. A pull request whose commits (or
// title, which a squash merge turns into a commit message) hold either,
// or whose commits are left-over "fixup!", "amend!" or "squash!" commits,
// gets the do-not-merge/invalid-commit-message label and one comment of
// the bot's listing what to fix. Both go once nothing is left to fix.
//
// It looks when a pull request is opened, reopened, pushed to or edited.
// invalid_commit_msg in plugins.yaml can turn the checks named
// issueClosingKeywords and fixupPrefix off per org or repository; the
// @mention check is always on.
//
// Check and Decide are pure; plugin.go reads the commits around them.
package invalidcommitmsg
