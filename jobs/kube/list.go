package kube

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// The cache's field indexes, one per kind of filter.
const (
	byJob   = "spec.job"
	byRepo  = "spec.refs.repo"
	byPull  = "spec.refs.pulls.number"
	byState = "status.state"
	// byLive holds the jobs not yet in a final state under "true".
	byLive = "status.live"
)

// index registers the field indexes with the cache.
func (s *Store) index(ctx context.Context) error {
	for field, keys := range map[string]func(*prowapi.ProwJob) []string{
		byJob:   func(pj *prowapi.ProwJob) []string { return []string{pj.Spec.Job} },
		byRepo:  repoKeys,
		byPull:  pullKeys,
		byState: func(pj *prowapi.ProwJob) []string { return []string{string(pj.Status.State)} },
		byLive: func(pj *prowapi.ProwJob) []string {
			if pj.Status.State.IsFinal() {
				return nil
			}
			return []string{"true"}
		},
	} {
		err := s.cache.IndexField(ctx, &prowapi.ProwJob{}, field, func(obj client.Object) []string {
			if pj, ok := obj.(*prowapi.ProwJob); ok {
				return keys(pj)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("index %s: %w", field, err)
		}
	}
	return nil
}

// repoKeys indexes a job under "org/repo", "org/" and "/repo".
func repoKeys(pj *prowapi.ProwJob) []string {
	r := pj.Spec.Refs
	if r == nil {
		return nil
	}
	return []string{r.Org + "/" + r.Repo, r.Org + "/", "/" + r.Repo}
}

func pullKeys(pj *prowapi.ProwJob) []string {
	if pj.Spec.Refs == nil {
		return nil
	}
	var keys []string
	for _, p := range pj.Spec.Refs.Pulls {
		keys = append(keys, strconv.Itoa(p.Number))
	}
	return keys
}

// lookup is one index query; a filter may allow several.
type lookup struct {
	index string
	keys  []string
}

// lookup is the index query that narrows f's candidates most, by a
// fixed order of selectivity: a pull request's jobs are few, unfinished
// jobs fewer than finished ones, a job's runs fewer than a repository's,
// and a state may hold most jobs. False when f uses no index.
func lookupFor(f jobs.Filter) (lookup, bool) {
	switch {
	case f.Pull != 0:
		return lookup{byPull, []string{strconv.Itoa(f.Pull)}}, true
	case f.Incomplete:
		return lookup{byLive, []string{"true"}}, true
	case f.Job != "" && !jobs.IsGlob(f.Job):
		return lookup{byJob, []string{f.Job}}, true
	case f.Org != "" || f.Repo != "":
		key := f.Org + "/" + f.Repo
		if f.Org == "" {
			key = "/" + f.Repo
		}
		return lookup{byRepo, []string{key}}, true
	case len(f.States) > 0:
		keys := make([]string, 0, len(f.States))
		for _, s := range f.States {
			keys = append(keys, string(s))
		}
		return lookup{byState, keys}, true
	}
	return lookup{}, false
}

// candidates returns the cached jobs f may select, shared with the
// cache (copy before use): those of its index, or every job when f uses
// none.
func (s *Store) candidates(ctx context.Context, f jobs.Filter) ([]*prowapi.ProwJob, error) {
	l, ok := lookupFor(f)
	if !ok {
		l = lookup{keys: []string{""}}
	}
	var out []*prowapi.ProwJob
	for _, k := range l.keys {
		opts := []client.ListOption{client.InNamespace(s.namespace), client.UnsafeDisableDeepCopy}
		if l.index != "" {
			opts = append(opts, client.MatchingFields{l.index: k})
		}
		list := &prowapi.ProwJobList{}
		if err := s.cache.List(ctx, list, opts...); err != nil {
			return nil, fmt.Errorf("look up index %s: %w", l.index, err)
		}
		for i := range list.Items {
			out = append(out, &list.Items[i])
		}
	}
	return out, nil
}

// List implements jobs.Lister from the cache, newest first.
func (s *Store) List(ctx context.Context, f jobs.Filter, page jobs.Page) (*jobs.List, error) {
	var after *position
	if page.Continue != "" {
		p, err := decodePosition(page.Continue)
		if err != nil {
			return nil, err
		}
		after = &p
	}
	candidates, err := s.candidates(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	size := page.Size()
	top := &newest{limit: size + 1}
	for _, pj := range candidates {
		if f.Matches(pj) && (after == nil || after.before(pj)) {
			top.offer(pj)
		}
	}
	picked := top.sorted()
	out := &jobs.List{}
	if len(picked) > size {
		picked = picked[:size]
		if out.Continue, err = positionOf(picked[size-1]).encode(); err != nil {
			return nil, err
		}
	}
	out.Items = make([]prowapi.ProwJob, len(picked))
	for i, pj := range picked {
		out.Items[i] = *export(pj.DeepCopy())
	}
	return out, nil
}

// newest keeps the limit newest jobs offered: a heap with the oldest
// kept job on top.
type newest struct {
	limit int
	jobs  []*prowapi.ProwJob
}

func (n *newest) Len() int           { return len(n.jobs) }
func (n *newest) Less(i, j int) bool { return jobs.Newer(n.jobs[j], n.jobs[i]) }
func (n *newest) Swap(i, j int)      { n.jobs[i], n.jobs[j] = n.jobs[j], n.jobs[i] }
func (n *newest) Push(x any)         { n.jobs = append(n.jobs, x.(*prowapi.ProwJob)) }
func (n *newest) Pop() any {
	last := n.jobs[len(n.jobs)-1]
	n.jobs = n.jobs[:len(n.jobs)-1]
	return last
}

func (n *newest) offer(pj *prowapi.ProwJob) {
	switch {
	case len(n.jobs) < n.limit:
		heap.Push(n, pj)
	case jobs.Newer(pj, n.jobs[0]):
		n.jobs[0] = pj
		heap.Fix(n, 0)
	}
}

// sorted empties the heap, newest first.
func (n *newest) sorted() []*prowapi.ProwJob {
	out := make([]*prowapi.ProwJob, len(n.jobs))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(n).(*prowapi.ProwJob)
	}
	return out
}

// position is a place in the newest-first order: the last job of a page.
// A continue token encodes it, so a page boundary does not move when
// jobs are created or change between pages.
type position struct {
	Start time.Time `json:"s"`
	Name  string    `json:"n"`
}

func positionOf(pj *prowapi.ProwJob) position {
	return position{Start: pj.Status.StartTime.Time, Name: pj.Name}
}

// before is true when pj comes after the position, newest first.
func (p position) before(pj *prowapi.ProwJob) bool {
	if t := pj.Status.StartTime.Time; !t.Equal(p.Start) {
		return p.Start.After(t)
	}
	return p.Name > pj.Name
}

func (p position) encode() (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("make the continue token after job %s: %w", p.Name, err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

var errBadContinue = errors.New("the continue token is not one this store made")

func decodePosition(token string) (position, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return position{}, fmt.Errorf("list jobs after continue token %q: %w", token, errBadContinue)
	}
	var p position
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || p.Name == "" {
		return position{}, fmt.Errorf("list jobs after continue token %q: %w", token, errBadContinue)
	}
	return p, nil
}
