// Package container runs a job's command in the job's image with podman,
// for the local runner's --runner=container: the image of the job's first
// container, a read-only root file system, the run's work and artifacts
// directories mounted at the same paths as on the host, a private /tmp,
// every capability dropped, its own pid, ipc and (when the network is
// switched off) network namespaces, so the bot's files and process are
// out of its sight.
//
// Each container is named after its run and labeled with the runner's
// work dir and the job, so that what a killed bot left running is found
// and removed by the next one (RemoveLeftovers). An image missing locally
// is pulled before the run, the pull's output going to the job's log.
//
// Probe says whether podman works here and which OCI runtime and ulimits
// to use: on a host whose cgroups are in hybrid mode, crun (podman's
// default on Debian) cannot start containers, and runc with explicit
// ulimits (nofile and nproc 1024) is used instead.
package container
