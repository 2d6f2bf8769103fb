// Package milestonestatus is the milestonestatus plugin (Prow's
// "milestonestatus"). Members of the repository's milestone maintainers
// team (repo_milestone in plugins.yaml, the same team the milestone
// plugin uses) mark where an issue or pull request stands in its
// milestone with /status approved-for-milestone, /status in-progress or
// /status in-review, which add the labels status/approved-for-milestone,
// status/in-progress and status/in-review. Anyone else gets a reply
// naming the team.
//
// The decision is a pure function (Decide); plugin.go does the I/O
// around it.
package milestonestatus
