// Package requirematchinglabel is the require-matching-label plugin. Each
// require_matching_label entry of plugins.yaml names an org (and
// optionally a repo and, for pull requests, a base branch pattern),
// whether it covers pull requests, issues or both, a regexp, and a
// missing_label. An issue or pull request it covers that carries no label
// matching the regexp gets the missing label, and the missing_comment when
// one is configured; once a matching label is there, the missing label
// and the bot's comment are removed.
//
// It checks when an issue or pull request is opened (after the entry's
// grace_period, default 5s, so other plugins and people can label it
// first), when a label is added or removed, and on /check-required-labels.
//
// The decisions are pure functions (Applies, Decide, Wait); plugin.go does
// the I/O around them.
package requirematchinglabel
