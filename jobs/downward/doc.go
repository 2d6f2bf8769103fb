// Package downward is the environment a Prow job gets, as Prow's
// pkg/pod-utils/downwardapi and decorate give it to a decorated pod's
// test container: JOB_NAME, JOB_TYPE, JOB_SPEC (the job's spec as JSON),
// BUILD_ID, BUILD_NUMBER, PROW_JOB_ID and CI=true for every job; the
// REPO_*, PULL_BASE_*, PULL_REFS and SRC_* variables for jobs with refs
// (all but periodics); and PULL_NUMBER, PULL_PULL_SHA, PULL_HEAD_REF and
// PULL_TITLE for presubmits. ARTIFACTS, GOPATH and the working directory
// depend on where the job runs and are left to the runner.
package downward
