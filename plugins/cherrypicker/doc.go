// Package cherrypicker is the cherrypicker plugin, built in here where
// Prow runs it as an external plugin (cmd/external-plugins/cherrypicker).
//
// "/cherrypick <branch>" (or "/cherry-pick <branch>") on a pull request
// asks for its commits to land on another branch too. On a merged pull
// request the bot acts at once; on an open one it says it will, and acts
// when the pull request merges, reading the requests again from the
// comments then (nothing is stored in between). A label
// cherrypick/<branch> (cherrypicker.label_prefix) asks the same for the
// pull request's author, when the pull request merges or, on a merged
// one, when the label is added. Only members of the repository's
// organization may ask (anyone with cherrypicker.allow_all); requests by
// others are refused in a reply, or, at merge time, ignored.
//
// For each branch the bot applies the pull request's own commits (those
// of its head not on the base it merged into, as a mailbox applied with
// git am --3way, as Prow applies GitHub's .patch) onto the branch in a
// work tree of the git cache, pushes the result to the branch
// cherry-pick-<number>-to-<branch> of the same repository (the sandbox
// has no forks; Prow pushes to the bot's fork), opens a pull request
// titled "[<branch>] <title>" whose body names the original, says
// "/assign <requester>" and carries the original's release note, assigns
// the requester, adds cherrypicker.labels, and links it in a reply. A
// branch that does not exist, the pull request's own base, or commits
// that do not apply are answered with the reason.
//
// An open pull request from the cherry-pick branch into the target is
// looked for first, so a replayed delivery or a second request opens no
// second pull request. The decisions (Targets, Requests, Decide, Title,
// Body) are pure; plugin.go and pick.go do the I/O around them and
// prow/git does the git.
package cherrypicker
