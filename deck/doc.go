// Package deck is the dashboard: server-rendered pages of jobs, their
// logs, artifacts and JUnit results, job and pull request history,
// command help, plugins and badges, with a JSON API under /api/ that the
// pages' small script uses to refresh themselves.
//
// It reads jobs through the store's read-only interfaces (jobs.Lister,
// jobs.Getter) and artifacts through prow/storage, in both modes, and
// keeps Prow's URL shapes (/view/gs/<bucket>/<path>, /view/s3/<bucket>/<path>,
// /job-history/...,
// /pr-history/?org=&repo=&pr=, /?job=pull-*&author=&pull=,
// #build-log.txt:123) so links in old pull request comments still
// resolve, and the URLs scripts and tools use with Prow's deck
// (/prowjobs.js, /prowjob, /log, GET /rerun, /plugin-help.js, /config
// with secrets redacted; prowurls.go and docs/deck.md). Rerun and abort go through functions the caller provides, for
// GitHub users the job's rerun_auth_config names.
//
// With Options.Tide (tide's JSON, read in process by prow serve or from
// --tide-url by prow deck) it also serves tide's pools (/tide, /tide.js),
// its history (/tide-history, /tide-history.js) and the logged-in user's
// pull requests with their statuses, tide status and latest jobs (/pr),
// without deck.hidden_repos (tide.go, tidepages.go, tidequery.go,
// prdash.go).
//
// A job page shows the lenses deck.spyglass.lenses selects by the
// build's files, in config order (metadata, junit and buildlog when none
// are configured; lenses.go): HTML artifacts only in a sandboxed frame
// served by /lens/html/ with a policy of its own (lenshtml.go), and the
// pod lens only with Options.PodInfo (KubePodInfo in cluster mode).
//
// Sub-packages: lens reads a build's files for the lenses,
// history reads a job's past builds from storage, auth holds the OAuth
// login, sessions, CSRF tokens and the rerun permission check.
package deck
