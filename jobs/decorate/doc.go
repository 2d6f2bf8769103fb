// Package decorate builds the pod that runs a ProwJob, as Prow's
// decorate.ProwJobToPod does: ProwJobToPod is a pure function of the
// ProwJob (its pod spec, decoration config, refs, extra refs and storage
// configuration) and Options.
//
// Every pod gets Prow's labels and annotations (created-by-prow,
// prow.k8s.io/type, job, context, id, build-id, refs.org, refs.repo,
// refs.base_ref, refs.pull, the ProwJob's own; label values cut to 63
// characters, invalid ones replaced by their base name or dropped) and
// the downward API environment (JOB_SPEC, BUILD_ID, PULL_REFS, ...) in
// every container, restartPolicy Never, its single container named
// "test", and no service account token unless it names an account.
//
// A decorated job's pod also gets, with Prow's container names, volumes,
// mounts and option JSON:
//
//   - init containers clonerefs (when there are refs to clone and
//     skip_cloning is not set; with the SSH key, OAuth token, GitHub App
//     key and cookie file secrets it needs), initupload and
//     place-entrypoint, which copies the entrypoint binary into the tools
//     volume;
//   - each test container run by /tools/entrypoint with its command in
//     ENTRYPOINT_OPTIONS, working in the clone of the workdir refs (or
//     the first refs), with ARTIFACTS=/logs/artifacts and
//     GOPATH=/home/prow/go;
//   - the sidecar container with SIDECAR_OPTIONS (its censoring options
//     listing the test containers' secret mounts when censor_secrets is
//     set);
//   - volumes logs (/logs), tools (/tools), code (/home/prow/go),
//     gcs-credentials (/secrets/gcs) and s3-credentials;
//   - the decoration config's resources, default memory request, memory
//     limit equal to the request, security context, affinity and
//     tolerations, default service account, and a termination grace
//     period of 5/4 of the grace period.
//
// Deliberate differences from Prow's pods:
//
//   - The four utilities are subcommands of the one prow binary, so each
//     utility container's args start with its subcommand (clonerefs,
//     initupload, entrypoint, sidecar: `clonerefs --cookiefile=...`,
//     `entrypoint --copy-mode-only`), and the test containers run
//     `/tools/entrypoint entrypoint`, place-entrypoint having copied the
//     prow binary there. The images are the decoration config's
//     utility_images (usually the same prow image four times), or
//     Options.Image for all four when it is set. The image's entrypoint
//     must be the prow binary, and the binary must run in the test
//     images (build it statically, CGO_ENABLED=0).
//   - Without a path alias, SRC_HOST is the host of the refs' clone_uri
//     when it has one, because clonerefs clones there (github.com
//     otherwise, as in Prow).
//   - Prow's local mode (ProwJobToPodLocal, an output hostPath volume)
//     is not built.
package decorate
