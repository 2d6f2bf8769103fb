package tide

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/prow/github"
)

// GitHub is what tide reads from and writes to GitHub.
type GitHub interface {
	// SearchPullRequests finds open pull requests with everything tide
	// reads about them, through GitHub's GraphQL search.
	github.PullRequestSearchClient
	// FindIssues finds the blocker issues.
	FindIssues(ctx context.Context, query string) ([]github.FoundIssue, error)
	// GetPullRequest reads a merged pull request's merge commit.
	GetPullRequest(ctx context.Context, org, repo string, number int) (github.PullRequest, error)
	GetPullRequestChanges(ctx context.Context, org, repo string, number int) ([]github.PullRequestChange, error)
	ListReviews(ctx context.Context, org, repo string, number int) ([]github.Review, error)
	GetRef(ctx context.Context, org, repo, ref string) (string, error)
	// GetCommitParents returns a commit's parents, first parent first.
	GetCommitParents(ctx context.Context, org, repo, sha string) ([]string, error)
	CreateStatus(ctx context.Context, org, repo, sha string, s github.Status) error
	// MergeCommit merges and returns the SHA of the commit that landed.
	MergeCommit(ctx context.Context, org, repo string, number int, sha, method, title, message string) (string, error)
	// GetBranchProtection is read for context_options
	// from-branch-protection, once per pool and sync.
	GetBranchProtection(ctx context.Context, org, repo, branch string) (github.BranchProtection, error)
}

// Jobs is the job store as tide uses it: it lists a pull request's
// presubmit runs, creates reruns and batches, and aborts speculative
// batches it abandons.
type Jobs interface {
	jobs.Creator
	jobs.Lister
	jobs.Updater
}

// Options build a Controller.
type Options struct {
	GitHub GitHub
	// Jobs is the job store; without one tide never reruns presubmits
	// and judges them by their statuses alone.
	Jobs   Jobs
	Config config.Getter
	Logger *logrus.Entry
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// History keeps the history of tide's actions across restarts; nil
	// keeps it in memory only.
	History HistoryStore
	// InRepo adds the jobs of repositories' in-repo configuration to the
	// central ones; nil means the central configuration only.
	InRepo InRepo
}

// Validate checks the options.
func (o Options) Validate() error {
	switch {
	case o.GitHub == nil:
		return errors.New("tide: a GitHub client is required")
	case o.Config == nil:
		return errors.New("tide: a config getter is required")
	case o.Logger == nil:
		return errors.New("tide: a logger is required")
	}
	return nil
}

// refusalRetry is how long tide waits before trying again a merge GitHub
// refused when neither the head nor the base has moved since (the
// refusal stays known, so a repeat is not logged again).
const refusalRetry = 5 * time.Minute

// refusal is a merge GitHub refused.
type refusal struct {
	head, base, reason string
	at                 time.Time
}

// Controller syncs tide's pools with GitHub.
type Controller struct {
	opts Options

	mu         sync.Mutex
	refused    map[string]refusal // by PR key
	pools      []Verdict          // the last sync's decisions
	poolView   []PoolView         // the same, by pool, for the JSON
	poolErrors []string           // the last sync's read failures
	history    history
	changes    changeCache
	// generation counts the syncs that decided; reportedGeneration is the
	// last one whose statuses were written.
	generation, reportedGeneration int
	// landedCache keeps what landed under speculative runs (see landed).
	landedCache map[string]int
	// protections are the branch protections read in the current sync.
	protections protections
	// historyLoad serializes reads of the stored history.
	historyLoad sync.Mutex
}

// New builds a controller.
func New(o Options) (*Controller, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Controller{opts: o, refused: map[string]refusal{}, landedCache: map[string]int{}}, nil
}

// Run syncs the pools every sync_period and, in its own loop, reports the
// latest decisions as tide statuses every status_update_period, so that
// writing thousands of statuses never delays a merge. It returns when ctx
// ends.
func (c *Controller) Run(ctx context.Context) error {
	done := make(chan struct{})
	go func() { defer close(done); c.statusLoop(ctx) }()
	defer func() { <-done }()
	for {
		if err := c.SyncPools(ctx); err != nil && ctx.Err() == nil {
			c.opts.Logger.WithError(err).Warn("Tide sync failed")
		}
		if !sleep(ctx, period(c.opts.Config().Tide.SyncPeriod)) {
			return nil
		}
	}
}

// statusLoop reports each new set of decisions, at most once every
// status_update_period.
func (c *Controller) statusLoop(ctx context.Context) {
	for {
		c.ReportStatuses(ctx)
		if !sleep(ctx, period(c.opts.Config().Tide.StatusUpdatePeriod)) {
			return
		}
	}
}

func period(d *metav1.Duration) time.Duration {
	if d != nil && d.Duration > 0 {
		return d.Duration
	}
	return time.Minute
}

// sleep waits d; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Verdicts returns the decisions of the last sync.
func (c *Controller) Verdicts() []Verdict {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Verdict(nil), c.pools...)
}

// Sync runs one round: search, decide, act in each pool, and report the
// decisions as tide statuses.
func (c *Controller) Sync(ctx context.Context) error {
	err := c.SyncPools(ctx)
	c.ReportStatuses(ctx)
	return err
}

// SyncPools searches, decides and acts in each pool. A pool whose reads
// fail is left for the next sync; the error returned joins those
// failures.
func (c *Controller) SyncPools(ctx context.Context) error {
	c.loadHistory(ctx)
	cfg := c.opts.Config()
	t := &cfg.Tide
	if len(t.Queries) == 0 {
		return nil
	}
	c.protections.reset()
	cands, batches, loadErr := c.load(ctx, cfg)
	if loadErr == nil {
		c.changes.sweep()
	}
	c.applyRefusals(cands)
	verdicts, err := Decide(t, cands)
	if err != nil {
		return errors.Join(loadErr, err)
	}
	room, roomErr := c.room(ctx, cfg)
	loadErr = errors.Join(loadErr, roomErr)
	actions := Plan(t, verdicts, batches, room)
	markStacked(actions)
	c.mu.Lock()
	c.pools, c.poolView, c.poolErrors = verdicts, poolViews(verdicts, actions), errorLines(loadErr)
	c.generation++
	c.mu.Unlock()
	c.forEach(max(t.MaxGoroutines, 1), len(actions), func(i int) { c.act(ctx, cfg, actions[i]) })
	return loadErr
}

// ReportStatuses writes the tide status of every pull request of the last
// sync whose status on GitHub differs; a set of decisions is reported
// once.
func (c *Controller) ReportStatuses(ctx context.Context) {
	c.mu.Lock()
	if c.reportedGeneration == c.generation {
		c.mu.Unlock()
		return
	}
	verdicts, gen := c.pools, c.generation
	c.reportedGeneration = gen
	c.mu.Unlock()
	t := &c.opts.Config().Tide
	c.forEach(max(t.MaxGoroutines, 1), len(verdicts), func(i int) { c.report(ctx, t, &verdicts[i]) })
}

// errorLines splits joined errors into one line each.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

// forEach runs fn(0..n-1) at most limit at a time.
func (c *Controller) forEach(limit, n int, fn func(int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// applyRefusals marks candidates whose merge GitHub refused at the same
// head and base, until refusalRetry passes.
func (c *Controller) applyRefusals(cands []Candidate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.opts.Now()
	for i := range cands {
		r, ok := c.refused[cands[i].Key()]
		switch {
		case !ok:
		case r.head != cands[i].HeadSHA || r.base != cands[i].BaseSHA:
			delete(c.refused, cands[i].Key())
		default:
			cands[i].Refused, cands[i].RetryDue = r.reason, now.Sub(r.at) > refusalRetry
		}
	}
}

// refuse records a refused merge; it says whether it is news, so that
// each refusal is logged once.
func (c *Controller) refuse(v *Verdict, reason string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, seen := c.refused[v.Key()]
	c.refused[v.Key()] = refusal{head: v.HeadSHA, base: v.BaseSHA, reason: reason, at: c.opts.Now()}
	return !seen || old.head != v.HeadSHA || old.base != v.BaseSHA || old.reason != reason
}

// refusedSince says whether GitHub refused to merge the pull request at
// the verdict's head and base after the verdict was reached.
func (c *Controller) refusedSince(v *Verdict) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.refused[v.Key()]
	return ok && v.Refused == "" && r.head == v.HeadSHA && r.base == v.BaseSHA
}
