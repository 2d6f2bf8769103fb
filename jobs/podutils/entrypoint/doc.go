// Package entrypoint is the entrypoint pod utility: the command of every
// test container of a decorated pod. It runs the wrapped command (the
// container's original command and args) in its own process group, with
// its output going both to the process log, which sidecar uploads as the
// build log, and to its own standard output, so that `kubectl logs`
// shows it too. When the command has not finished after the timeout
// (two hours by default) entrypoint interrupts its process group with
// SIGINT and, after the grace period (15 seconds by default), kills it;
// SIGINT or SIGTERM sent to entrypoint itself (the pod being deleted) is
// passed on the same way. What happened is written to the log.
//
// Whatever happens, entrypoint then writes an exit code to the marker
// file, as Prow's does: the command's exit code (128+n when signal n
// killed it), 127 when it could not start or timed out, 130 when it was
// interrupted by a signal (with propagate_error_code, the command's own
// code in both cases), 1130 when a previous step it waited for failed.
// It exits with the same code unless always_zero is set, and with 127 if
// the marker cannot be written.
//
// In copy mode (place-entrypoint) it only copies its own binary into the
// tools volume.
package entrypoint
