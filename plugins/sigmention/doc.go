// Package sigmention is the sigmention plugin (Prow's "sigmention"). A new
// comment, issue or pull request description that mentions a SIG team
// (sigmention.regexp in plugins.yaml, by default
// @kubernetes/sig-<name>-<misc|test-failures|bugs|feature-requests|proposals|pr-reviews|api-reviews>)
// gets the sig/<name> label, and for the -bugs, -feature-requests,
// -api-reviews and -proposals teams also kind/bug, kind/feature,
// kind/api-change or kind/design. Only labels the repository has are
// added. GitHub does not notify a team that someone outside the org
// mentions, so when the writer is not an org member the bot, which is,
// repeats the mentions.
//
// The decision is a pure function (Decide); plugin.go does the I/O
// around it.
package sigmention
