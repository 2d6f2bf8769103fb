// Package podutils holds Prow's pod utilities, the programs a decorated
// job's pod runs around its test command, as subcommands of the one prow
// binary:
//
//   - clonerefs (init container) clones the job's refs into the code
//     volume and writes the clone records;
//   - initupload (init container) uploads started.json and the clone
//     records, and fails the pod (with finished.json) when the clone
//     failed;
//   - entrypoint wraps each test container's command: it tees the output
//     to a log file, enforces the timeout and writes the exit code to a
//     marker file (`entrypoint --copy-mode-only` in the place-entrypoint
//     init container copies the binary into the tools volume first);
//   - sidecar waits for the markers and uploads the build log, the
//     artifacts and finished.json.
//
// The sub-packages are one per utility, options (their JSON options, as
// Prow encodes them in CLONEREFS_OPTIONS, INITUPLOAD_OPTIONS,
// ENTRYPOINT_OPTIONS and SIDECAR_OPTIONS), marker (the exit code files)
// and upload (where a job's files go in its bucket). jobs/decorate builds
// the pods that run them.
package podutils
