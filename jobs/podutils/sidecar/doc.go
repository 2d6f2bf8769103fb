// Package sidecar is the sidecar pod utility: the container beside a
// decorated pod's test containers that waits for each entry's marker
// file (watching its directory, and polling in case the file system does
// not tell) and then uploads, in the job's build directory: each entry's
// process log as build-log.txt (<container>-build-log.txt when there are
// several), the items (the artifacts directory as artifacts/**),
// finished.json last, and latest-build.txt and the presubmit alias.
//
// finished.json says passed when every entry marked 0; its result is
// SUCCESS, ABORTED when an entry was interrupted (marker 130) or FAILURE
// (a timed out entry marks 127, so a timeout is a FAILURE, as in Prow);
// its revision is the job's pull request or base SHA and its metadata
// the merged JSON objects of the entries' metadata files, plus
// "sidecar-errors" naming the files that could not be read.
//
// SIGINT or SIGTERM (the pod being deleted) makes sidecar upload what
// there is at once, with an ABORTED finished.json, and keep waiting for
// the markers, unless ignore_interrupts is set; the final upload comes
// after. With censoring options, the values of the secrets in the secret
// directories (the whole content of each file, trimmed and not, and its
// base64 form; the values of the INI files named too) are replaced by
// asterisks in the build logs and in the uploaded files as they are
// streamed to the bucket (the files on disk are left alone). Include and
// exclude directories are path.Match globs, matched against a file's
// path below its item and each of its parent directories (no ** as in
// Prow). When the secrets cannot be read nothing is uploaded.
package sidecar
