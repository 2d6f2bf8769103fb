// Package sandbox runs a job's command isolated with bubblewrap: its own
// user, mount, pid, ipc and uts namespaces, seeing a read-only system,
// its work and artifacts directories, a private /tmp and nothing of the
// bot (its files, its data dir, its process). Network stays on unless
// switched off.
package sandbox
