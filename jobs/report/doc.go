// Package report tells the outside world about jobs: Prow's crier.
//
// A Loop watches the job store and hands every job whose state a
// Reporter has not reported yet to that reporter, then records the
// reported state in the job's status.prev_report_states under the
// reporter's name. The loop is level-based: a restart reports only what
// was not recorded, and a failing report is retried with backoff. Two
// reports of the same job never run at the same time. Run runs a loop
// with its own queue and workers (the embedded mode); Register makes it
// a reconciler of a controller-runtime manager (cluster mode), as Prow's
// crier is.
//
// Two reporters live here:
//   - GitHub ("github-reporter") sets the job's commit status and keeps
//     the single failure comment (tagged <!-- test report -->) of a pull
//     request up to date, as Prow's GitHub reporter does. With
//     github_reporter.report_as: check-runs (the default for a GitHub
//     App) the job is a check run instead of a status: one per context
//     and commit, updated in place, its output listing the failed tests
//     of the job's JUnit reports and annotating the lines they name.
//   - Storage ("gcsreporter") writes prowjob.json into the job's
//     artifacts directory on every state change, and started.json and
//     finished.json when the job ends and they are missing.
//
// Prow's Slack and Pub/Sub reporters are the sub-packages slack and
// pubsub. They run in loops of their own, so that an outside system
// that is down or slow never delays the others; a reporter whose error
// says how long to wait (RetryAfter) is tried again no sooner.
//
// The decisions (status state and description, check run status,
// conclusion, text and annotations, comment rows, whether
// to create, edit or delete the comment) are pure functions; the
// reporters are a thin layer of I/O around them.
package report
