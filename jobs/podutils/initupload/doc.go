// Package initupload is the initupload pod utility. It runs after
// clonerefs and before the test: it uploads started.json (its repo-commit
// the SHA the clone ended at, as the local runner writes it) and, when
// the job cloned refs, clone-records.json and the readable clone-log.txt.
// When a clone failed it also uploads the clone log as build-log.txt and
// finished.json (passed false, result FAILURE) and fails, so that the
// pod fails before its test runs. Like Prow's, every upload also points
// latest-build.txt at the build and writes the presubmit alias.
package initupload
