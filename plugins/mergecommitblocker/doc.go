// Package mergecommitblocker is the mergecommitblocker plugin: a pull
// request whose commits include a merge commit (a commit with more than
// one parent, such as the one "git merge main" or GitHub's "Update
// branch" button makes) gets the do-not-merge/contains-merge-commits
// label and one comment from the bot asking the author to rebase instead.
// When the pull request no longer has any merge commit (the branch was
// rebased and force-pushed), the label comes off and the bot's comment is
// deleted.
//
// It looks at a pull request when it is opened, reopened or pushed to
// (synchronize), reading the commits from GitHub's pull request commits
// API with their parents (GitHub lists the first 250 commits). Like
// Prow's plugin it has no commands and no configuration.
//
// Every write is safe to repeat: the comment goes first and is only made
// when no comment of the bot's carrying the plugin's hidden marker is
// there, the label second; on removal the comments go first, the label
// last. A delivery replayed after a crash at any point therefore ends
// with one label and one comment, never two comments.
package mergecommitblocker
