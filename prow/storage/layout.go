package storage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Job types, as in a ProwJob's spec.type.
const (
	PresubmitJob  = "presubmit"
	PostsubmitJob = "postsubmit"
	PeriodicJob   = "periodic"
	BatchJob      = "batch"
)

// Path strategies (decoration config path_strategy): how org and repo
// become the segment of a presubmit's directory.
const (
	// PathStrategyExplicit always uses org_repo. It is the default.
	PathStrategyExplicit = "explicit"
	// PathStrategyLegacy drops the default org (and the default repo).
	PathStrategyLegacy = "legacy"
	// PathStrategySingle drops only the default org and repo together.
	PathStrategySingle = "single"
)

// Well known names in a build directory and around it.
const (
	StartedFile      = "started.json"
	FinishedFile     = "finished.json"
	ProwJobFile      = "prowjob.json"
	BuildLogFile     = "build-log.txt"
	CloneRecordsFile = "clone-records.json"
	CloneLogFile     = "clone-log.txt"
	PodInfoFile      = "podinfo.json"
	SidecarLogsFile  = "sidecar-logs.json"
	// ArtifactsDir is the directory of everything the job put in
	// $ARTIFACTS.
	ArtifactsDir = "artifacts/"
	// LatestBuildFile holds the ID of a job's latest build.
	LatestBuildFile = "latest-build.txt"
	// AliasLinkMetadataKey is the metadata key of a presubmit alias
	// object whose value is the build directory's address.
	AliasLinkMetadataKey = "x-goog-meta-link"
)

// Top-level directories.
const (
	nonPRLogs = "logs"
	prLogs    = "pr-logs"
)

// ContainerBuildLogFile is the build log of one container of a job with
// several test containers.
func ContainerBuildLogFile(container string) string {
	return container + "-" + BuildLogFile
}

// Layout says where a deployment's builds go in its bucket: the
// decoration config's path_prefix, path_strategy, default_org and
// default_repo. Unlike upstream Prow, PathPrefix applies to every path,
// latest-build.txt and the presubmit alias included.
type Layout struct {
	PathPrefix   string
	PathStrategy string
	DefaultOrg   string
	DefaultRepo  string
}

// Job names one build: the fields of a ProwJob that decide its paths.
type Job struct {
	// Type is one of PresubmitJob, PostsubmitJob, PeriodicJob, BatchJob.
	Type string
	// Org and Repo of the job's main refs (needed for presubmits).
	Org, Repo string
	// PR is the number of the first pull request (needed for presubmits).
	PR int
	// Name is the job name.
	Name string
	// BuildID is the build's ID.
	BuildID string
}

// Validate checks the path strategy and what it needs.
func (l Layout) Validate() error {
	switch l.PathStrategy {
	case "", PathStrategyExplicit:
	case PathStrategyLegacy, PathStrategySingle:
		if l.DefaultOrg == "" || l.DefaultRepo == "" {
			return fmt.Errorf("path strategy %q needs default_org and default_repo", l.PathStrategy)
		}
	default:
		return fmt.Errorf("unknown path strategy %q (want %s, %s or %s)", l.PathStrategy, PathStrategyExplicit, PathStrategyLegacy, PathStrategySingle)
	}
	if p := strings.Trim(l.PathPrefix, "/"); p != "" {
		if err := ValidatePath(p); err != nil {
			return fmt.Errorf("path prefix: %w", err)
		}
	}
	return nil
}

// RepoSegment is the directory that stands for org/repo under
// pr-logs/pull/ (empty when the strategy drops it).
func (l Layout) RepoSegment(org, repo string) string {
	explicit := org + "_" + strings.ReplaceAll(repo, "/", "_")
	switch l.PathStrategy {
	case PathStrategyLegacy:
		if org != l.DefaultOrg {
			return explicit
		}
		if repo == l.DefaultRepo {
			return ""
		}
		return repo // as upstream: a nested repo name stays nested here
	case PathStrategySingle:
		if org == l.DefaultOrg && repo == l.DefaultRepo {
			return ""
		}
		return explicit
	default:
		return explicit
	}
}

// join puts elements below the path prefix and checks the result.
func (l Layout) join(elem ...string) (string, error) {
	if err := l.Validate(); err != nil {
		return "", err
	}
	p := joinNonEmpty(append([]string{strings.Trim(l.PathPrefix, "/")}, elem...)...)
	if err := ValidatePath(p); err != nil {
		return "", err
	}
	return p, nil
}

// joinNonEmpty joins the non-empty elements with slashes. Unlike
// path.Join it does not clean, so that ValidatePath sees a ".." rather
// than its effect.
func joinNonEmpty(elem ...string) string {
	return strings.Join(slices.DeleteFunc(elem, func(e string) bool { return e == "" }), "/")
}

// check validates what every path of a job needs.
func (j Job) check(needBuild bool) error {
	if err := segment("job name", j.Name); err != nil {
		return err
	}
	if needBuild {
		if err := segment("build ID", j.BuildID); err != nil {
			return err
		}
	}
	if err := checkType(j.Name, j.Type); err != nil {
		return err
	}
	if j.Type == PresubmitJob && (j.Org == "" || j.Repo == "" || j.PR <= 0) {
		return fmt.Errorf("presubmit %s needs org, repo and a pull request number, got %q, %q, %d", j.Name, j.Org, j.Repo, j.PR)
	}
	return nil
}

func checkType(name, jobType string) error {
	switch jobType {
	case PresubmitJob, PostsubmitJob, PeriodicJob, BatchJob:
		return nil
	default:
		return fmt.Errorf("job %s has unknown type %q", name, jobType)
	}
}

func segment(what, s string) error {
	if s == "" || strings.Contains(s, "/") {
		return fmt.Errorf("%s %q is not one path segment: %w", what, s, ErrInvalidPath)
	}
	return nil
}

// prDir is pr-logs/pull/<seg>/<pr> without the path prefix.
func (l Layout) prDir(org, repo string, pr int) string {
	return joinNonEmpty(prLogs, "pull", l.RepoSegment(org, repo), strconv.Itoa(pr))
}

// JobDir is the build directory of a job (no trailing slash):
// logs/<job>/<build> for periodics and postsubmits,
// pr-logs/pull/<seg>/<pr>/<job>/<build> for presubmits and
// pr-logs/pull/batch/<job>/<build> for batches.
func (l Layout) JobDir(j Job) (string, error) {
	if err := j.check(true); err != nil {
		return "", err
	}
	switch j.Type {
	case PresubmitJob:
		return l.join(l.prDir(j.Org, j.Repo, j.PR), j.Name, j.BuildID)
	case BatchJob:
		return l.join(prLogs, "pull", "batch", j.Name, j.BuildID)
	default:
		return l.join(nonPRLogs, j.Name, j.BuildID)
	}
}

// JobHistoryDir is the directory the job history of a job is read from:
// logs/<job> (its build directories) for periodics and postsubmits,
// pr-logs/directory/<job> (one <build>.txt alias per build) for
// presubmits and batches.
func (l Layout) JobHistoryDir(jobType, name string) (string, error) {
	if err := segment("job name", name); err != nil {
		return "", err
	}
	if err := checkType(name, jobType); err != nil {
		return "", err
	}
	if jobType == PresubmitJob || jobType == BatchJob {
		return l.join(prLogs, "directory", name)
	}
	return l.join(nonPRLogs, name)
}

// PRDir is the directory holding every presubmit build of a pull
// request: pr-logs/pull/<seg>/<pr>.
func (l Layout) PRDir(org, repo string, pr int) (string, error) {
	if org == "" || repo == "" || pr <= 0 {
		return "", fmt.Errorf("pull request directory needs org, repo and number, got %q, %q, %d", org, repo, pr)
	}
	return l.join(l.prDir(org, repo, pr))
}

// LatestBuildPaths are the latest-build.txt files a build updates:
// logs/<job>/latest-build.txt for periodics and postsubmits;
// pr-logs/directory/<job>/latest-build.txt and
// pr-logs/pull/<seg>/<pr>/<job>/latest-build.txt for presubmits;
// pr-logs/directory/<job>/latest-build.txt for batches.
func (l Layout) LatestBuildPaths(j Job) ([]string, error) {
	if err := j.check(false); err != nil {
		return nil, err
	}
	var elems [][]string
	switch j.Type {
	case PresubmitJob:
		elems = [][]string{
			{prLogs, "directory", j.Name, LatestBuildFile},
			{l.prDir(j.Org, j.Repo, j.PR), j.Name, LatestBuildFile},
		}
	case BatchJob:
		elems = [][]string{{prLogs, "directory", j.Name, LatestBuildFile}}
	default:
		elems = [][]string{{nonPRLogs, j.Name, LatestBuildFile}}
	}
	paths := make([]string, 0, len(elems))
	for _, e := range elems {
		p, err := l.join(e...)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// AliasPath is the presubmit alias pr-logs/directory/<job>/<build>.txt,
// whose content (and AliasLinkMetadataKey metadata) is the address of the
// build directory; it is empty for other job types.
func (l Layout) AliasPath(j Job) (string, error) {
	if err := j.check(true); err != nil {
		return "", err
	}
	if j.Type != PresubmitJob {
		return "", nil
	}
	return l.join(prLogs, "directory", j.Name, j.BuildID+".txt")
}
