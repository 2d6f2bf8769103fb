package inrepo

import (
	"container/list"
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/prowbot/prow/config"
)

// DefaultCacheSize is how many revisions a Getter keeps by default.
const DefaultCacheSize = 1000

// Reader reads the files under paths of org/repo at base with heads merged
// on top; prow/git's Client is one.
type Reader interface {
	MergedFiles(ctx context.Context, org, repo, base string, heads []string, paths ...string) (map[string][]byte, error)
}

// Getter is the one place components ask for a repository's presubmits
// and postsubmits. A nil Getter, or one without a Reader, answers with the
// central jobs only; so does any repository whose in_repo_config is not
// enabled. It is safe for concurrent use.
type Getter struct {
	reader Reader
	size   int

	reads  atomic.Int64
	shared atomic.Int64

	mu      sync.Mutex
	entries map[string]*list.Element
	order   *list.List // of *entry, most recently used first
}

// New builds a Getter reading through r and keeping size revisions
// (DefaultCacheSize when size <= 0).
func New(r Reader, size int) *Getter {
	if size <= 0 {
		size = DefaultCacheSize
	}
	return &Getter{reader: r, size: size, entries: map[string]*list.Element{}, order: list.New()}
}

// Reads counts the in-repo configuration reads (git merges and file reads)
// the Getter made: each revision is read once while it stays cached.
func (g *Getter) Reads() int64 {
	if g == nil {
		return 0
	}
	return g.reads.Load()
}

// Shared counts the requests that waited for a read another request had
// started instead of reading themselves.
func (g *Getter) Shared() int64 {
	if g == nil {
		return 0
	}
	return g.shared.Load()
}

// entry is one revision's files and the jobs built from them for the last
// configuration asked with.
type entry struct {
	key   string
	done  chan struct{} // closed once files/err are set
	files map[string][]byte
	err   error

	mu   sync.Mutex
	cfg  *config.Config
	jobs config.InRepoJobs
	bad  error
}

// Enabled says whether cfg turns in-repo configuration on for org/repo and
// g can read it.
func (g *Getter) Enabled(cfg *config.Config, org, repo string) bool {
	return g != nil && g.reader != nil && cfg.InRepoConfig.EnabledFor(org, repo)
}

// Presubmits returns the presubmits of org/repo for a change: the central
// ones and those of the in-repo configuration at baseSHA with heads merged
// on top (a pull request's head, or every head of a batch). A problem in
// the in-repo configuration is a *config.InRepoError.
func (g *Getter) Presubmits(ctx context.Context, cfg *config.Config, org, repo, baseSHA string, heads ...string) ([]config.Presubmit, error) {
	jobs, err := g.Jobs(ctx, cfg, org, repo, baseSHA, heads...)
	return jobs.Presubmits, err
}

// Postsubmits returns the postsubmits of org/repo for a push of sha: the
// central ones and those of the in-repo configuration at sha.
func (g *Getter) Postsubmits(ctx context.Context, cfg *config.Config, org, repo, sha string) ([]config.Postsubmit, error) {
	jobs, err := g.Jobs(ctx, cfg, org, repo, sha)
	return jobs.Postsubmits, err
}

// Jobs returns both kinds of jobs of org/repo at baseSHA with heads merged
// on top.
func (g *Getter) Jobs(ctx context.Context, cfg *config.Config, org, repo, baseSHA string, heads ...string) (config.InRepoJobs, error) {
	if !g.Enabled(cfg, org, repo) {
		return config.InRepoJobs{Presubmits: cfg.PresubmitsFor(org, repo), Postsubmits: cfg.PostsubmitsFor(org, repo)}, nil
	}
	e, err := g.files(ctx, org, repo, baseSHA, heads)
	if err != nil {
		return config.InRepoJobs{}, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cfg != cfg {
		e.cfg = cfg
		e.jobs, e.bad = build(cfg, org, repo, e.files)
	}
	return e.jobs, e.bad
}

// build parses files afresh (defaulting changes the jobs in place) and adds
// the jobs to the central ones.
func build(cfg *config.Config, org, repo string, files map[string][]byte) (config.InRepoJobs, error) {
	py, err := config.ParseProwYAML(files)
	if err != nil {
		return config.InRepoJobs{}, err
	}
	return cfg.WithInRepo(org, repo, py)
}

// files returns the cached files of a revision, reading them once: a
// concurrent request for the same revision waits for the first one's read.
// A failed read is not kept.
func (g *Getter) files(ctx context.Context, org, repo, base string, heads []string) (*entry, error) {
	key := org + "/" + repo + "@" + base + "+" + strings.Join(heads, ",")
	g.mu.Lock()
	if el, ok := g.entries[key]; ok {
		g.order.MoveToFront(el)
		e := el.Value.(*entry)
		g.mu.Unlock()
		select {
		case <-e.done:
		default:
			g.shared.Add(1)
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			return nil, e.err
		}
		return e, nil
	}
	e := &entry{key: key, done: make(chan struct{})}
	g.entries[key] = g.order.PushFront(e)
	for g.order.Len() > g.size {
		last := g.order.Back()
		g.order.Remove(last)
		delete(g.entries, last.Value.(*entry).key)
	}
	g.mu.Unlock()

	g.reads.Add(1)
	e.files, e.err = g.reader.MergedFiles(ctx, org, repo, base, heads, config.ProwYAMLFile, config.ProwYAMLDir)
	if e.err != nil {
		g.mu.Lock()
		if el, ok := g.entries[key]; ok && el.Value == e {
			g.order.Remove(el)
			delete(g.entries, key)
		}
		g.mu.Unlock()
	}
	close(e.done)
	if e.err != nil {
		return nil, e.err
	}
	return e, nil
}
