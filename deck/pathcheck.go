package deck

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// Bounds of what visibility checks keep and read.
const (
	// maxFacts caps the cache of directory facts; it is emptied when
	// full.
	maxFacts = 10000
	// absentTTL is how long a directory without metadata files is
	// remembered as such: a build's prowjob.json may appear later.
	absentTTL = 30 * time.Second
	// jobTTL is how long a job's verdict from the store is remembered.
	jobTTL = 10 * time.Second
	// jobScan is how many recent runs of a job the store check reads.
	jobScan = 50
)

type cached[T any] struct {
	v   T
	exp time.Time // zero: no expiry
}

// ttlCache is a small cache of values with an optional expiry.
type ttlCache[T any] struct {
	mu sync.Mutex
	m  map[string]cached[T]
}

func newTTLCache[T any]() *ttlCache[T] { return &ttlCache[T]{m: map[string]cached[T]{}} }

func (c *ttlCache[T]) get(key string, now time.Time) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || (!e.exp.IsZero() && now.After(e.exp)) {
		var zero T
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[T]) put(key string, v T, exp time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxFacts {
		c.m = map[string]cached[T]{}
	}
	c.m[key] = cached[T]{v: v, exp: exp}
}

// rulesCache keeps the hiding rules of the configuration in force.
type rulesCache struct {
	mu    sync.Mutex
	cfg   *config.Config
	rules *hideRules
}

// rules are the hiding rules of the configuration in force, rebuilt when
// it changes.
func (s *Server) rules() *hideRules {
	cfg := s.config()
	s.ruleCache.mu.Lock()
	defer s.ruleCache.mu.Unlock()
	if s.ruleCache.cfg != cfg || s.ruleCache.rules == nil {
		s.ruleCache.cfg, s.ruleCache.rules = cfg, newHideRules(cfg)
	}
	return s.ruleCache.rules
}

// pathCheck decides the paths of one bucket for one request: a path is
// shown only when its own meaning, the configuration, the job store and
// the metadata files of every directory on the way down all say nothing
// against it. Anything it cannot read denies.
type pathCheck struct {
	s     *Server
	ctx   context.Context
	b     storage.Bucket
	loc   string
	rules *hideRules
	dirs  map[string]dirVerdict
	jobs  map[string]verdict
}

type dirVerdict struct {
	v     verdict
	found bool
}

func (s *Server) newPathCheck(ctx context.Context, b storage.Bucket, loc string) *pathCheck {
	return &pathCheck{s: s, ctx: ctx, b: b, loc: loc, rules: s.rules(), dirs: map[string]dirVerdict{}, jobs: map[string]verdict{}}
}

// dir says whether a page about directory d (a build, a history, a
// folder) may be shown. A folder's listing must still check each file.
func (c *pathCheck) dir(d string) bool { return c.decide(d, true) }

// file says whether an object may be served or listed. A file outside
// Prow's layout with no metadata on the way down belongs to nobody
// known, and is denied.
func (c *pathCheck) file(name string) bool { return c.decide(name, false) }

func (c *pathCheck) decide(p string, isDir bool) bool {
	if c.s.opts.ShowHidden {
		return true
	}
	claims := claimsOf(p)
	v, unknown := c.rules.pathVerdict(claims)
	for _, j := range unknown {
		v = worst(v, c.job(j))
	}
	found := false
	for _, d := range ancestors(p, isDir) {
		if v != shown {
			break
		}
		dv := c.dir1(d)
		v, found = worst(v, dv.v), found || dv.found
	}
	if v == shown && !isDir && !claims.inLayout && !found {
		v = unsure
	}
	return v == shown
}

// dir1 is the verdict of one directory's own metadata files.
func (c *pathCheck) dir1(d string) dirVerdict {
	if dv, ok := c.dirs[d]; ok {
		return dv
	}
	f, err := c.s.dirFacts(c.ctx, c.b, c.loc, d)
	dv := dirVerdict{v: unsure}
	if err != nil {
		c.s.log.WithError(err).WithField("build", d).Warn("Read build metadata failed")
	} else {
		dv = dirVerdict{v: c.rules.factsVerdict(f), found: f.found}
	}
	c.dirs[d] = dv
	return dv
}

// job decides a job the configuration does not name from the store.
func (c *pathCheck) job(name string) verdict {
	if v, ok := c.jobs[name]; ok {
		return v
	}
	now := c.s.opts.Now()
	v, ok := c.s.jobVerdicts.get(name, now)
	if !ok {
		v = unsure
		l, err := c.s.opts.Lister.List(c.ctx, jobs.Filter{Job: name}, jobs.Page{Limit: jobScan})
		switch {
		case errors.Is(err, jobs.ErrNoStore):
			v = shown // a deck without a store decides from the bucket alone
		case err != nil:
			c.s.log.WithError(err).WithField("job", name).Warn("List job runs failed")
		default:
			n := 0
			for i := range l.Items {
				if c.rules.recordHidden(&l.Items[i]) {
					n++
				}
			}
			v = storeVerdict(len(l.Items), n)
			c.s.jobVerdicts.put(name, v, now.Add(jobTTL))
		}
	}
	c.jobs[name] = v
	return v
}

// recordHidden says whether a job record is hidden by its flag, its job
// or its repos.
func (h *hideRules) recordHidden(pj *prowapi.ProwJob) bool {
	if pj.Spec.Hidden {
		return true
	}
	if v, _ := h.jobVerdict(pj.Spec.Job); v == hidden {
		return true
	}
	if r := pj.Spec.Refs; r != nil && h.repoHidden(r.Org, r.Repo) {
		return true
	}
	for _, r := range pj.Spec.ExtraRefs {
		if h.repoHidden(r.Org, r.Repo) {
			return true
		}
	}
	return false
}

// dirFacts reads (or remembers) the metadata files of a directory.
func (s *Server) dirFacts(ctx context.Context, b storage.Bucket, loc, dir string) (dirFacts, error) {
	key := loc + "\x00" + dir
	now := s.opts.Now()
	if f, ok := s.facts.get(key, now); ok {
		return f, nil
	}
	f, err := readFacts(ctx, b, dir)
	if err != nil {
		return f, err
	}
	var exp time.Time
	if !f.found {
		exp = now.Add(absentTTL)
	}
	s.facts.put(key, f, exp)
	return f, nil
}

func readFacts(ctx context.Context, b storage.Bucket, dir string) (dirFacts, error) {
	var f dirFacts
	data, err := b.Read(ctx, dir+"/"+storage.ProwJobFile)
	switch {
	case err == nil:
		f.found = true
		var pj prowapi.ProwJob
		if json.Unmarshal(data, &pj) != nil {
			f.bad = true
			break
		}
		f.hiddenJob, f.job = pj.Spec.Hidden, pj.Spec.Job
		if r := pj.Spec.Refs; r != nil {
			f.repos = append(f.repos, r.Org+"/"+r.Repo)
		}
		for _, r := range pj.Spec.ExtraRefs {
			f.repos = append(f.repos, r.Org+"/"+r.Repo)
		}
	case !errors.Is(err, storage.ErrNotExist):
		return f, err
	}
	data, err = b.Read(ctx, dir+"/"+storage.StartedFile)
	switch {
	case err == nil:
		f.found = true
		var st storage.Started
		if json.Unmarshal(data, &st) != nil {
			f.bad = true
			break
		}
		for r := range st.Repos {
			f.repos = append(f.repos, r)
		}
	case !errors.Is(err, storage.ErrNotExist):
		return f, err
	}
	return f, nil
}
