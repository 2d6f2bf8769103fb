// Package marker reads and writes the marker files through which
// entrypoint tells sidecar (and a later entrypoint) how a wrapped command
// ended: the file holds the exit code in decimal and appears atomically,
// whole or not at all. It also holds the codes entrypoint chooses itself
// rather than the command: Prow's 127 (internal error: the command could
// not start, or it timed out), 130 (aborted by a signal) and 1130 (not
// run because a previous step failed).
package marker
