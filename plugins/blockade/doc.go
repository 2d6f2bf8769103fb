// Package blockade is the blockade plugin (Prow's "blockade"). Each
// blockades entry of plugins.yaml names repositories ("org" or
// "org/repo"), optionally a base branch regexp, path regexps that are
// blocked, path regexps excepted from them, and an explanation. A pull
// request that changes a blocked path gets do-not-merge/blocked-paths and
// one comment of the bot's giving the explanations and the paths; once
// its changes no longer touch a blocked path, the label and the comment
// go. The plugin looks again when a pull request is opened, reopened,
// pushed to, or moved to another base branch.
//
// The decisions are pure functions (Blocking, Decide); plugin.go does the
// I/O around them.
package blockade
