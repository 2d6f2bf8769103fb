package jobs

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prowbot/prow/jobs/clone"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// What runs around a job's command and is the same for the local runner
// (jobs/local) and a decorated pod's utilities (jobs/podutils): the
// metadata files, the latest-build pointers and alias, the bucket
// address, the exit code and the default timeouts.

// DefaultTimeout and DefaultGracePeriod apply to a job whose decoration
// sets no timeout or grace period, as in Prow.
const (
	DefaultTimeout     = 2 * time.Hour
	DefaultGracePeriod = 15 * time.Second
)

// StartedOf is started.json of pj, written at now, before its refs are
// cloned: the tested commit is the first pull request's SHA, else the
// base SHA, else the base ref. Put the cloned SHA in RepoCommit and
// RepoVersion once it is known.
func StartedOf(pj *prowapi.ProwJob, now time.Time) storage.Started {
	s := storage.Started{Timestamp: now.Unix(), Repos: map[string]string{}}
	if host, err := os.Hostname(); err == nil {
		s.Node = host
	}
	for _, r := range clone.RefsOf(pj) {
		s.Repos[r.OrgRepoString()] = r.String()
	}
	if r := pj.Spec.Refs; r != nil {
		if len(r.Pulls) > 0 {
			s.Pull = strconv.Itoa(r.Pulls[0].Number)
		}
		s.RepoCommit = r.BaseRef
		if rev := Revision(pj); rev != "" {
			s.RepoCommit = rev
		}
	}
	s.RepoVersion = s.RepoCommit
	if len(s.Repos) == 0 {
		s.Repos = nil
	}
	return s
}

// Revision is finished.json's revision of pj: its first pull request's
// SHA, else its base SHA.
func Revision(pj *prowapi.ProwJob) string {
	r := pj.Spec.Refs
	if r == nil {
		return ""
	}
	if len(r.Pulls) > 0 && r.Pulls[0].SHA != "" {
		return r.Pulls[0].SHA
	}
	return r.BaseSHA
}

// BucketAddress makes a bare bucket name (gcs_configuration.bucket
// without a scheme) a gs:// address; addresses with a scheme are kept.
func BucketAddress(bucket string) string {
	if strings.Contains(bucket, "://") {
		return bucket
	}
	return "gs://" + bucket
}

// WriteLatestBuild points the job's latest-build.txt files at its build
// unless one points at a later build already (a repeated upload must not
// go back).
func (a Artifacts) WriteLatestBuild(ctx context.Context, b storage.Bucket) error {
	paths, err := a.Layout.LatestBuildPaths(a.Job)
	if err != nil {
		return fmt.Errorf("latest-build.txt of job %s: %w", a.Job.Name, err)
	}
	for _, p := range paths {
		if cur, err := b.Read(ctx, p); err == nil && BuildNumber(strings.TrimSpace(string(cur))) > BuildNumber(a.Job.BuildID) {
			continue
		}
		if _, err := b.Write(ctx, p, strings.NewReader(a.Job.BuildID), storage.WriteOptions{}); err != nil {
			return fmt.Errorf("write %s: %w", b.URL(p), err)
		}
	}
	return nil
}

// WriteAlias writes a presubmit's pr-logs/directory/<job>/<build>.txt,
// whose content and link metadata are the build directory's address; it
// does nothing for other job types.
func (a Artifacts) WriteAlias(ctx context.Context, b storage.Bucket) error {
	p, err := a.Layout.AliasPath(a.Job)
	if err != nil {
		return fmt.Errorf("alias of job %s: %w", a.Job.Name, err)
	}
	if p == "" {
		return nil
	}
	link := b.URL(a.Dir)
	opts := storage.WriteOptions{Metadata: map[string]string{storage.AliasLinkMetadataKey: link}}
	if _, err := b.Write(ctx, p, strings.NewReader(link), opts); err != nil {
		return fmt.Errorf("write %s: %w", b.URL(p), err)
	}
	return nil
}

// ExitCode is a finished process's exit code, 128+n when signal n killed
// it.
func ExitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
