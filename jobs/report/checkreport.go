package report

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// CheckRunClient is what the GitHub reporter does with check runs.
// *github.Client is one.
type CheckRunClient interface {
	CreateCheckRun(ctx context.Context, org, repo string, run github.CheckRun) (int64, error)
	UpdateCheckRun(ctx context.Context, org, repo string, run github.CheckRun) error
	ListCheckRuns(ctx context.Context, org, repo, ref string) ([]github.CheckRun, error)
	ListCheckRunAnnotations(ctx context.Context, org, repo string, id int64) ([]github.CheckRunAnnotation, error)
}

var _ CheckRunClient = (*github.Client)(nil)

// errNoCheckRuns is returned when report_as asks for check runs of a
// reporter whose client cannot write them.
var errNoCheckRuns = errors.New("github_reporter.report_as is check-runs but the GitHub client cannot write check runs")

// maxCachedRuns bounds the check runs whose IDs the reporter remembers;
// a forgotten one is found again on GitHub by name and head SHA.
const maxCachedRuns = 10000

// checkRunKey names one job's check run: its context on a commit.
type checkRunKey struct{ org, repo, sha, name string }

// commit is the commit of a check run.
func (k checkRunKey) commit() checkRunKey { return checkRunKey{org: k.org, repo: k.repo, sha: k.sha} }

// checkRunEntry is what the reporter knows of a check run it wrote.
type checkRunEntry struct {
	id          int64
	annotations int
}

// checkRunCache remembers the check runs of the commits whose runs were
// listed, and serializes the writes of each run. A commit listed once
// needs no other list: a run the cache lacks does not exist, as only the
// reporter writes the runs of its jobs.
type checkRunCache struct {
	mu      sync.Mutex
	entries map[checkRunKey]checkRunEntry
	// listed are the commits (checkRunKey.commit) whose runs are in
	// entries.
	listed map[checkRunKey]bool
	locks  keyedMutex
}

// get says what is known of k's run: its entry (zero when it has none)
// and whether its commit was listed.
func (c *checkRunCache) get(k checkRunKey) (checkRunEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[k], c.listed[k.commit()]
}

// reset empties a full cache (or makes an empty one); the caller holds
// mu.
func (c *checkRunCache) reset(room int) {
	if c.entries == nil || len(c.entries)+room > maxCachedRuns {
		c.entries, c.listed = map[checkRunKey]checkRunEntry{}, map[checkRunKey]bool{}
	}
}

// putListed records the runs of a commit, as listed.
func (c *checkRunCache) putListed(commit checkRunKey, runs []github.CheckRun) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(len(runs))
	for _, r := range runs {
		k := commit
		k.name = r.Name
		if _, seen := c.entries[k]; !seen && r.HeadSHA == commit.sha {
			c.entries[k] = checkRunEntry{id: r.ID, annotations: r.AnnotationsCount}
		}
	}
	c.listed[commit] = true
}

func (c *checkRunCache) put(k checkRunKey, e checkRunEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok {
		c.reset(1)
	}
	c.entries[k] = e
}

// forget drops what is known of k's commit: it is listed again.
func (c *checkRunCache) forget(k checkRunKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, k)
	delete(c.listed, k.commit())
}

// reportCheckRun writes pj's check run: one per context and head SHA,
// created once (or found on GitHub by name and SHA: the runs of a commit
// are listed once, and again after a restart) and updated in place by every later report, a rerun's included. A failed
// job's JUnit failures become the output text, and those with a file
// and line annotations, sent 50 per request; annotations the run has
// already are not sent again. false when GitHub refused for good (the
// commit is gone).
func (g *GitHub) reportCheckRun(ctx context.Context, log *logrus.Entry, pj *prowapi.ProwJob) (bool, error) {
	if g.checks == nil {
		return false, fmt.Errorf("report job %s: %w", pj.Name, errNoCheckRuns)
	}
	refs := pj.Spec.Refs
	status, conclusion, ok := checkRunState(pj)
	if !ok {
		return false, fmt.Errorf("check run of job %s: unknown state %q", pj.Name, pj.Status.State)
	}
	var junit *lens.JUnit
	if conclusion != "" && conclusion != conclusionCancelled {
		junit = g.readJUnit(ctx, log, pj)
	}
	failed := failedCases(junit)
	if conclusion == conclusionSuccess {
		failed = nil
	}
	run := github.CheckRun{Name: pj.Spec.Context, HeadSHA: statusSHA(refs), Status: status, Conclusion: conclusion,
		DetailsURL: pj.Status.URL, ExternalID: pj.Name, Title: checkRunTitleWithBase(pj), Summary: checkRunSummary(pj, junit),
		Text: checkRunText(failed)}
	var anns []github.CheckRunAnnotation
	if conclusion == conclusionFailure {
		anns = annotationsFor(failed, refs)
	}

	key := checkRunKey{org: refs.Org, repo: refs.Repo, sha: run.HeadSHA, name: run.Name}
	unlock, err := g.runs.locks.lock(ctx, fmt.Sprintf("%s/%s@%s/%s", key.org, key.repo, key.sha, key.name))
	if err != nil {
		return false, fmt.Errorf("wait to write check run %s of job %s: %w", run.Name, pj.Name, err)
	}
	defer unlock()
	set, err := g.writeCheckRun(ctx, key, run, anns)
	if err != nil && swallowedStatusError(err) {
		log.WithError(err).Warn("GitHub refused the job's check run for good; not retrying")
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("write check run %s of job %s on %s/%s@%s: %w", run.Name, pj.Name, refs.Org, refs.Repo, run.HeadSHA, err)
	}
	return set, nil
}

// writeCheckRun creates or updates the check run of key with run, then
// sends the annotations it lacks.
func (g *GitHub) writeCheckRun(ctx context.Context, key checkRunKey, run github.CheckRun, anns []github.CheckRunAnnotation) (bool, error) {
	entry, listed := g.runs.get(key)
	if !listed {
		// Once per commit (and after a restart): the runs GitHub has.
		runs, err := g.checks.ListCheckRuns(ctx, key.org, key.repo, key.sha)
		if err != nil {
			return false, err
		}
		g.runs.putListed(key.commit(), runs)
		entry, _ = g.runs.get(key)
	}
	if entry.annotations > 0 && len(anns) > 0 {
		have, err := g.checks.ListCheckRunAnnotations(ctx, key.org, key.repo, entry.id)
		if err != nil {
			return false, err
		}
		anns = newAnnotations(anns, have)
	}
	for i, batch := range batches(anns) {
		req := run
		req.Annotations = batch
		if i > 0 {
			// Further batches only add annotations; the output goes
			// again, as GitHub requires a title and summary with them.
			req.Status, req.Conclusion, req.DetailsURL, req.ExternalID = "", "", "", ""
		}
		if entry.id == 0 {
			id, err := g.checks.CreateCheckRun(ctx, key.org, key.repo, req)
			if err != nil {
				return false, err
			}
			entry.id = id
		} else {
			req.ID = entry.id
			if err := g.checks.UpdateCheckRun(ctx, key.org, key.repo, req); err != nil {
				// The run may be gone: find it again next time.
				g.runs.forget(key)
				return false, err
			}
		}
		entry.annotations += len(batch)
		g.runs.put(key, entry)
	}
	return true, nil
}

// readJUnit reads the JUnit reports in pj's artifacts, nil when there
// are none or they cannot be read (the check run is written without
// them).
func (g *GitHub) readJUnit(ctx context.Context, log *logrus.Entry, pj *prowapi.ProwJob) *lens.JUnit {
	if g.buckets == nil {
		return nil
	}
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		return nil
	}
	b, err := g.buckets.Open(ctx, jobs.BucketAddress(a.Bucket))
	if err != nil {
		log.WithError(err).Warn("Cannot open the job's bucket; its check run lists no test failures")
		return nil
	}
	defer func() { _ = b.Close() }()
	j, problems, err := lens.ReadJUnit(ctx, b, a.Dir)
	if err != nil {
		log.WithError(err).Warn("Cannot list the job's artifacts; its check run lists no test failures")
		return nil
	}
	for _, p := range problems {
		log.WithError(p).Warn("A JUnit report of the job was not read")
	}
	if j.Tests == 0 {
		return nil
	}
	return &j
}
