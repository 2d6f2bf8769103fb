// Package milestone is the milestone plugin (Prow's "milestone"). Members
// of a repository's milestone maintainers team (repo_milestone in
// plugins.yaml, per "org/repo" with "" as the default) put an issue or
// pull request in a milestone with /milestone <title> and take it out
// with /milestone clear. Anyone else, or an unknown title, gets a reply
// saying why nothing happened.
//
// The team is named by its slug (maintainers_team); Prow's deprecated
// numeric maintainers_id alone names no team here, and the commands then
// reply that no team is configured.
//
// The decision is a pure function (Decide); plugin.go does the I/O
// around it. The team lookup (Maintainers) is shared with the
// milestonestatus plugin.
package milestone
