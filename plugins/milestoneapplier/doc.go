// Package milestoneapplier is the milestoneapplier plugin (Prow's
// "milestoneapplier"). When a pull request merges, it puts the pull
// request in the milestone milestone_applier configures for the
// repository and base branch:
//
//	milestone_applier:
//	  org/repo:
//	    main: v1.31
//	    release-1.30: v1.30
//
// A pull request merged into the default branch keeps a milestone someone
// already gave it; on other branches the configured milestone replaces
// it. A configured milestone the repository lacks (or has closed) is
// logged and skipped.
//
// The decision is a pure function (Decide); plugin.go does the I/O
// around it.
package milestoneapplier
