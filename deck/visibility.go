package deck

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// repoHidden says whether org/repo is in deck.hidden_repos (as "org" or
// "org/repo").
func repoHidden(cfg *config.Config, org, repo string) bool {
	for _, h := range cfg.Deck.HiddenRepos {
		if strings.EqualFold(h, org) || strings.EqualFold(h, org+"/"+repo) {
			return true
		}
	}
	return false
}

// hidden says whether a job must not be shown.
func (s *Server) hidden(cfg *config.Config, pj *prowapi.ProwJob) bool {
	if s.opts.ShowHidden {
		return false
	}
	if pj.Spec.Hidden {
		return true
	}
	if r := pj.Spec.Refs; r != nil && repoHidden(cfg, r.Org, r.Repo) {
		return true
	}
	for _, r := range pj.Spec.ExtraRefs {
		if repoHidden(cfg, r.Org, r.Repo) {
			return true
		}
	}
	return false
}

// jobNameHidden says whether a configured job of that name is hidden or
// belongs to a hidden repo, for pages that know only the job's name.
func (s *Server) jobNameHidden(cfg *config.Config, name string) bool {
	if s.opts.ShowHidden {
		return false
	}
	hiddenIn := func(key string) bool {
		org, repo, _ := strings.Cut(key, "/")
		return repoHidden(cfg, org, repo)
	}
	for key, ps := range cfg.Presubmits {
		for _, p := range ps {
			if p.Name == name && (p.Hidden || hiddenIn(key)) {
				return true
			}
		}
	}
	for key, ps := range cfg.Postsubmits {
		for _, p := range ps {
			if p.Name == name && (p.Hidden || hiddenIn(key)) {
				return true
			}
		}
	}
	for _, p := range cfg.Periodics {
		if p.Name == name && p.Hidden {
			return true
		}
	}
	return false
}

// maxScan bounds the jobs one list request looks at when it drops hidden
// ones, so that a store full of hidden jobs cannot make a page slow.
const maxScan = 5000

// listVisible lists a page of jobs without the hidden ones, asking the
// store for more until the page is full, so that page boundaries stay
// exact.
func (s *Server) listVisible(ctx context.Context, f jobs.Filter, page jobs.Page) (*jobs.List, error) {
	cfg := s.config()
	out := &jobs.List{Continue: page.Continue}
	want := page.Size()
	scanned := 0
	for {
		l, err := s.opts.Lister.List(ctx, f, jobs.Page{Limit: want - len(out.Items), Continue: out.Continue})
		if err != nil {
			return nil, err
		}
		scanned += len(l.Items)
		for i := range l.Items {
			if !s.hidden(cfg, &l.Items[i]) {
				out.Items = append(out.Items, l.Items[i])
			}
		}
		out.Continue = l.Continue
		if len(out.Items) >= want || l.Continue == "" || scanned >= maxScan || len(l.Items) == 0 {
			return out, nil
		}
	}
}

// dirFacts are what decides whether a build directory may be shown.
type dirFacts struct {
	hiddenJob bool
	repos     []string
	job       string
}

// maxFacts caps the fact cache; it is emptied when full.
const maxFacts = 10000

type factCache struct {
	mu sync.Mutex
	m  map[string]dirFacts
}

func newFactCache() *factCache { return &factCache{m: map[string]dirFacts{}} }

// dirVisible says whether a build directory may be shown: its
// prowjob.json (or started.json) must not name a hidden job or repo.
func (s *Server) dirVisible(ctx context.Context, b storage.Bucket, loc, dir string) (bool, error) {
	if s.opts.ShowHidden {
		return true, nil
	}
	key := loc + "\x00" + dir
	s.facts.mu.Lock()
	f, ok := s.facts.m[key]
	s.facts.mu.Unlock()
	if !ok {
		var err error
		if f, err = readFacts(ctx, b, dir); err != nil {
			return false, err
		}
		s.facts.mu.Lock()
		if len(s.facts.m) >= maxFacts {
			s.facts.m = map[string]dirFacts{}
		}
		s.facts.m[key] = f
		s.facts.mu.Unlock()
	}
	cfg := s.config()
	if f.hiddenJob || (f.job != "" && s.jobNameHidden(cfg, f.job)) {
		return false, nil
	}
	for _, r := range f.repos {
		org, repo, _ := strings.Cut(r, "/")
		if repoHidden(cfg, org, repo) {
			return false, nil
		}
	}
	return true, nil
}

func readFacts(ctx context.Context, b storage.Bucket, dir string) (dirFacts, error) {
	var f dirFacts
	data, err := b.Read(ctx, dir+"/"+storage.ProwJobFile)
	if err == nil {
		var pj prowapi.ProwJob
		if json.Unmarshal(data, &pj) == nil {
			f.hiddenJob, f.job = pj.Spec.Hidden, pj.Spec.Job
			if r := pj.Spec.Refs; r != nil {
				f.repos = append(f.repos, r.Org+"/"+r.Repo)
			}
			for _, r := range pj.Spec.ExtraRefs {
				f.repos = append(f.repos, r.Org+"/"+r.Repo)
			}
		}
	} else if !errors.Is(err, storage.ErrNotExist) {
		return f, err
	}
	data, err = b.Read(ctx, dir+"/"+storage.StartedFile)
	if err == nil {
		var st storage.Started
		if json.Unmarshal(data, &st) == nil {
			for r := range st.Repos {
				f.repos = append(f.repos, r)
			}
		}
	} else if !errors.Is(err, storage.ErrNotExist) {
		return f, err
	}
	return f, nil
}
