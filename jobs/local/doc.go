// Package local is the runner of embedded mode: it runs each job as a
// process on this machine, in a work directory of its own, with the
// environment, checkout and artifact layout of a decorated Prow pod.
//
// The local runner runs commands on the host. The job's container image
// is not used: the first container's command and args run directly (no
// shell is added), as the user running the bot, with its access to this
// machine's files and network. It is for trusted repositories only: a
// pull request that changes what a job runs runs that change here.
// Untrusted code needs cluster mode, where jobs run in pods, or an
// isolated run: Options.Isolate wraps the command (jobs/sandbox), and
// Options.Container runs it in the job's image instead (jobs/container),
// the container removed when the run ends, is aborted or is found
// interrupted, and every container of the work dir removed when a
// runner starts on it.
//
// A run lives in <WorkDir>/<ProwJob name>/:
//
//	state.json     the run's state: written before the work starts and
//	               when it ends (exit code, result), read after a restart
//	build-log.txt  the command's standard output and error, written by
//	               the process itself (never held in memory)
//	artifacts/     $ARTIFACTS
//	code/src/...   the cloned refs (<path_alias> or <host>/<org>/<repo>)
//
// What a pod's utilities do, the runner does around the process:
// started.json before the work; the clone of the job's refs like
// clonerefs, with clone-records.json and clone-log.txt (a failed clone
// fails the job, as initupload does); then the command with the job's
// timeout (decoration_config.timeout, default 2h): SIGINT to its process
// group, then SIGKILL after the grace period (default 15s), so a job that
// ignores signals still ends; and at the end build-log.txt, artifacts/**,
// finished.json, latest-build.txt and, for presubmits, the
// pr-logs/directory alias, all in Prow's storage layout. Every upload is
// a plain overwrite, so repeating them after a restart is harmless.
//
// The environment of the command is a few variables of this process
// (PATH, HOME, USER, locale, TMPDIR; Options.Env replaces them), the
// container's env (values, not valueFrom), the downward API variables
// (JOB_SPEC, PULL_REFS, ...) and ARTIFACTS. $(VAR) references in env
// values, command and args are expanded as Kubernetes does. GOPATH is not
// set.
//
// Processes: each job runs in its own process group, which is signaled
// as a whole, and killed as a whole once the job's main process exits
// (a pod's containers end with their main process too). So that jobs do
// not outlive the bot, the main process is started with
// PR_SET_PDEATHSIG (SIGKILL) from a goroutine locked to its OS thread
// until the process is reaped: the kernel sends the signal when the
// thread that forked the child dies, and a locked thread neither exits
// nor gets reused while the job runs. Pdeathsig reaches only the main
// process; Close kills whole process groups on an orderly shutdown. A
// run whose process went away with the bot's is reported as interrupted
// (RunError) by the next runner on the same WorkDir, which first kills
// whatever the run left running (every process whose environment names
// the job's PROW_JOB_ID). One process at a time may use a WorkDir.
package local
