// Package upload puts a build's files where initupload and sidecar put
// them: the job's build directory in its bucket, in Prow's layout (see
// jobs.ArtifactsOf and prow/storage), from the upload options (bucket,
// path strategy, credentials, dry run, local output directory, media
// types) and the job spec. It also updates latest-build.txt and the
// presubmit alias as Prow's gcsupload does on every upload, sharing that
// code with the local runner.
package upload
