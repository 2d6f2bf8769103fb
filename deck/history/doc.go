// Package history reads a job's past builds from storage, as Prow's
// job-history page does, but starting from latest-build.txt and reading
// only the page shown: the build IDs come from one listing of the job's
// directory (logs/<job>/ build directories, or the pr-logs/directory/<job>/
// <build>.txt aliases of presubmits), and started.json and finished.json
// are read for the builds of the page alone, concurrently. A build
// without started.json is still shown.
package history
