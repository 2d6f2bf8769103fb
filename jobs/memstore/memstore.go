// Package memstore is an in-memory job store: the reference
// implementation of jobs.Store for tests of the code that uses the store
// (plugins, reporters). Nothing is persisted.
package memstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Store keeps jobs in memory. It is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	jobs     map[string]*prowapi.ProwJob
	version  int64
	watchers map[chan jobs.Event]struct{}
}

var _ jobs.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{jobs: map[string]*prowapi.ProwJob{}, watchers: map[chan jobs.Event]struct{}{}}
}

// Create implements jobs.Creator.
func (s *Store) Create(_ context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	if pj.Name == "" {
		return nil, fmt.Errorf("create job %q: the name is empty", pj.Spec.Job)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.jobs[pj.Name]; ok {
		return nil, fmt.Errorf("create job %s: %w", pj.Name, jobs.ErrExists)
	}
	return s.put(jobs.Added, pj), nil
}

// put stores a copy with the next version and tells the watchers; the
// caller holds the lock.
func (s *Store) put(t jobs.EventType, pj *prowapi.ProwJob) *prowapi.ProwJob {
	s.version++
	c := pj.DeepCopy()
	c.ResourceVersion = strconv.FormatInt(s.version, 10)
	s.jobs[c.Name] = c
	s.notify(t, c)
	return c.DeepCopy()
}

func (s *Store) notify(t jobs.EventType, pj *prowapi.ProwJob) {
	for ch := range s.watchers {
		ch <- jobs.Event{Type: t, Job: pj.DeepCopy()}
	}
}

// Get implements jobs.Getter.
func (s *Store) Get(_ context.Context, name string) (*prowapi.ProwJob, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pj, ok := s.jobs[name]
	if !ok {
		return nil, fmt.Errorf("get job %s: %w", name, jobs.ErrNotFound)
	}
	return pj.DeepCopy(), nil
}

// List implements jobs.Lister. Continue is the position after the last
// job returned.
func (s *Store) List(_ context.Context, f jobs.Filter, page jobs.Page) (*jobs.List, error) {
	start := 0
	if page.Continue != "" {
		n, err := strconv.Atoi(page.Continue)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("list jobs: bad continue token %q", page.Continue)
		}
		start = n
	}
	s.mu.Lock()
	var all []*prowapi.ProwJob
	for _, pj := range s.jobs {
		if f.Matches(pj) {
			all = append(all, pj.DeepCopy())
		}
	}
	s.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return jobs.Newer(all[i], all[j]) })
	out := &jobs.List{}
	end := min(start+page.Size(), len(all))
	for i := start; i < end; i++ {
		out.Items = append(out.Items, *all[i])
	}
	if end < len(all) {
		out.Continue = strconv.Itoa(end)
	}
	return out, nil
}

// Update implements jobs.Updater.
func (s *Store) Update(_ context.Context, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.jobs[pj.Name]
	if !ok {
		return nil, fmt.Errorf("update job %s: %w", pj.Name, jobs.ErrNotFound)
	}
	if pj.ResourceVersion != old.ResourceVersion {
		return nil, fmt.Errorf("update job %s at version %s (stored %s): %w", pj.Name, pj.ResourceVersion, old.ResourceVersion, jobs.ErrConflict)
	}
	return s.put(jobs.Modified, pj), nil
}

// Delete implements jobs.Deleter.
func (s *Store) Delete(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	pj, ok := s.jobs[name]
	if !ok {
		return fmt.Errorf("delete job %s: %w", name, jobs.ErrNotFound)
	}
	delete(s.jobs, name)
	s.notify(jobs.Deleted, pj)
	return nil
}

// Watch implements jobs.Watcher. Events are queued without bound, so a
// slow reader never blocks writers.
func (s *Store) Watch(ctx context.Context) (<-chan jobs.Event, error) {
	in := make(chan jobs.Event, 64)
	out := make(chan jobs.Event)
	s.mu.Lock()
	var initial []jobs.Event
	for _, pj := range s.jobs {
		initial = append(initial, jobs.Event{Type: jobs.Added, Job: pj.DeepCopy()})
	}
	s.watchers[in] = struct{}{}
	s.mu.Unlock()
	go s.relay(ctx, in, out, initial)
	return out, nil
}

// relay moves events from in to out through an unbounded queue until ctx
// ends.
func (s *Store) relay(ctx context.Context, in chan jobs.Event, out chan jobs.Event, queue []jobs.Event) {
	defer close(out)
	stop := func() {
		s.mu.Lock()
		delete(s.watchers, in)
		s.mu.Unlock()
		for range len(in) {
			<-in
		}
	}
	for {
		var send chan jobs.Event
		var next jobs.Event
		if len(queue) > 0 {
			send, next = out, queue[0]
		}
		select {
		case <-ctx.Done():
			stop()
			return
		case ev := <-in:
			queue = append(queue, ev)
		case send <- next:
			queue = queue[1:]
		}
	}
}
