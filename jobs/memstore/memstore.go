package memstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Store keeps jobs in memory. It is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	jobs     map[string]*prowapi.ProwJob
	version  int64
	watchers map[*jobs.EventQueue]struct{}
}

var _ jobs.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{jobs: map[string]*prowapi.ProwJob{}, watchers: map[*jobs.EventQueue]struct{}{}}
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

// notify queues the event for every watcher; it never blocks. The caller
// holds the lock.
func (s *Store) notify(t jobs.EventType, pj *prowapi.ProwJob) {
	for w := range s.watchers {
		w.Push(jobs.Event{Type: t, Job: pj.DeepCopy()})
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

// List implements jobs.Lister. Continue names the last job returned (its
// start time and name), so a page starts after it wherever it now is.
func (s *Store) List(_ context.Context, f jobs.Filter, page jobs.Page) (*jobs.List, error) {
	var after *prowapi.ProwJob
	if page.Continue != "" {
		c, err := decodeContinue(page.Continue)
		if err != nil {
			return nil, fmt.Errorf("list jobs: bad continue token %q: %w", page.Continue, err)
		}
		after = c
	}
	s.mu.Lock()
	var all []*prowapi.ProwJob
	for _, pj := range s.jobs {
		if f.Matches(pj) && (after == nil || jobs.Newer(after, pj)) {
			all = append(all, pj)
		}
	}
	sort.Slice(all, func(i, j int) bool { return jobs.Newer(all[i], all[j]) })
	out := &jobs.List{}
	for _, pj := range all[:min(page.Size(), len(all))] {
		out.Items = append(out.Items, *pj.DeepCopy())
	}
	s.mu.Unlock()
	if len(all) > page.Size() {
		out.Continue = encodeContinue(&out.Items[len(out.Items)-1])
	}
	return out, nil
}

// position is what a continue token holds.
type position struct {
	Start string `json:"s"`
	Name  string `json:"n"`
}

func encodeContinue(pj *prowapi.ProwJob) string {
	b, _ := json.Marshal(position{Start: pj.Status.StartTime.UTC().Format(time.RFC3339Nano), Name: pj.Name})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeContinue returns a job at the position the token names.
func decodeContinue(token string) (*prowapi.ProwJob, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	var p position
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	start, err := time.Parse(time.RFC3339Nano, p.Start)
	if err != nil || p.Name == "" {
		return nil, fmt.Errorf("no start time and name in %s", b)
	}
	pj := &prowapi.ProwJob{}
	pj.Name, pj.Status.StartTime = p.Name, metav1.NewTime(start)
	return pj, nil
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
		return nil, fmt.Errorf("update job %s at version %q (stored %s): %w", pj.Name, pj.ResourceVersion, old.ResourceVersion, jobs.ErrConflict)
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

// Watch implements jobs.Watcher. The stored jobs come first, oldest
// first; events are queued without bound, so a slow reader never blocks
// writers.
func (s *Store) Watch(ctx context.Context) (<-chan jobs.Event, error) {
	w := jobs.NewEventQueue()
	s.mu.Lock()
	initial := make([]*prowapi.ProwJob, 0, len(s.jobs))
	for _, pj := range s.jobs {
		initial = append(initial, pj)
	}
	sort.Slice(initial, func(i, j int) bool { return jobs.Newer(initial[j], initial[i]) })
	for _, pj := range initial {
		w.Push(jobs.Event{Type: jobs.Added, Job: pj.DeepCopy()})
	}
	s.watchers[w] = struct{}{}
	s.mu.Unlock()
	out := make(chan jobs.Event)
	go func() {
		w.Relay(ctx, out)
		s.mu.Lock()
		delete(s.watchers, w)
		s.mu.Unlock()
	}()
	return out, nil
}
