// Package trigger is the trigger plugin: it starts presubmits when a
// trusted author opens or updates a pull request, asks for `/ok-to-test`
// (label needs-ok-to-test) when the author is not trusted, runs the jobs
// people ask for with `/test <job>`, `/test all`, `/retest`,
// `/retest-required` and `/test-manual-required` or with a job's own
// trigger regex, explains the commands
// on `/test ?`, aborts a pull request's running presubmits on a new push,
// on close and on conversion to draft, and starts postsubmits on pushes
// whose branch and changed files match. The lgtm label (the bot's too)
// builds an untrusted pull request once; `ignore_ok_to_test` makes
// `/ok-to-test` do nothing, and only trusted users revoke it.
//
// "Re-run" on a check run the bot wrote for a presubmit (the check_run
// webhook, action rerequested) reruns that job on the pull request, and
// "Re-run all checks" (check_suite rerequested) is `/retest`, both under
// the trust rules of `/retest`; `/retest` reads the head's check runs as
// well as its statuses (github_reporter.report_as).
//
// Jobs are created through the job store's creation interface
// (jobs.Creator) and aborted through its list and update questions.
package trigger
