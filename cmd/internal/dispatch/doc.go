// Package dispatch is how the lean front binary (bin/prow) hands every
// component subcommand to the full binary installed beside it
// (prow-components), the way git runs git-<cmd>: the process image is
// replaced (execve), so the PID, signals, standard streams and exit code
// are the full binary's own.
package dispatch
