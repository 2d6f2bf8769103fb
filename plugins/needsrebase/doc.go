// Package needsrebase is the needs-rebase plugin, built in here where Prow
// runs it as an external plugin: a pull request GitHub reports as not
// mergeable (its changes conflict with its base branch) gets the
// needs-rebase label and the bot's comment "PR needs rebase."; once GitHub
// reports it mergeable again, the label comes off and the comment is
// deleted.
//
// A pull request is checked when it is opened, reopened or pushed to
// (synchronize), and, when its base branch is pushed to, every open pull
// request into that branch is checked. Mergeability is read from GitHub's
// pull request API (`mergeable`); GitHub computes it in the background and
// answers null until it knows, so an unknown answer is asked again a few
// times, waiting in between, and then left alone: the next event looks
// again. Drafts are checked like any pull request, as in Prow. An event
// whose head SHA is no longer the pull request's head is skipped (the
// push that moved it brings its own event). Unlike Prow there is no
// periodic scan of every open pull request.
//
// The comment goes first and only when no comment of the bot's carrying
// the plugin's hidden marker is there, the label second; on removal the
// comments go first. A delivery replayed after a crash at any point ends
// with one label and one comment.
package needsrebase
