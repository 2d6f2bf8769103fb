// Package options holds the options of the pod utilities in the JSON
// shapes of Prow's (clonerefs.Options, initupload.Options,
// entrypoint.Options, sidecar.Options and the gcsupload.Options and
// wrapper.Options inside them), so that pods decorated by Prow and by
// jobs/decorate carry the same CLONEREFS_OPTIONS, INITUPLOAD_OPTIONS,
// ENTRYPOINT_OPTIONS and SIDECAR_OPTIONS. Each type has a Validate
// method that says what a utility cannot run without; Load reads a
// utility's options from a file or its environment variable, Encode
// writes them, and ParseJobSpec reads JOB_SPEC. Unknown fields are
// ignored, as Prow's utilities ignore them, so newer controllers can
// add fields.
package options
