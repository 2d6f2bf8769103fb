package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Options tune the suite to a backend's documented limits.
type Options struct {
	// TimePrecision is how finely the store keeps status times; zero
	// means to the nanosecond. Times are compared after truncation to it.
	TimePrecision time.Duration
}

// guard bounds every wait on a watch; it fails a test that would
// otherwise hang, it is never slept on.
const guard = 20 * time.Second

// suite holds what every test of the contract needs.
type suite struct {
	opts     Options
	newStore func(t *testing.T) jobs.Store
}

// Run runs the contract against stores newStore makes. newStore returns
// a fresh, empty store each call and registers its own cleanup with
// t.Cleanup. Status times must survive to the nanosecond.
func Run(t *testing.T, newStore func(t *testing.T) jobs.Store) {
	RunWithOptions(t, Options{}, newStore)
}

// RunWithOptions is Run for a backend with documented limits.
func RunWithOptions(t *testing.T, opts Options, newStore func(t *testing.T) jobs.Store) {
	s := suite{opts: opts, newStore: newStore}
	for _, tc := range []struct {
		name string
		test func(*testing.T)
	}{
		{"create then get returns every field", s.testRoundTrip},
		{"the store keeps its own copy", s.testCopies},
		{"errors name the job and wrap the sentinel", s.testErrors},
		{"update bumps the resource version and rejects stale ones", s.testUpdate},
		{"list filters by each field and their combinations", s.testFilters},
		{"list pages through every job newest first", s.testPaging},
		{"list pages stay stable while jobs are created", s.testPagingWhileCreating},
		{"list pages skip nothing when listed jobs change", s.testPagingWhileUpdating},
		{"list rejects a bad continue token", s.testBadContinue},
		{"watch starts with the stored jobs then reports changes in order", s.testWatch},
		{"watch of an empty store reports the first create", s.testWatchEmpty},
		{"watches started during writes miss and repeat nothing", s.testWatchWhileWriting},
		{"a slow watcher blocks no writer", s.testSlowWatcher},
		{"a canceled watcher blocks no writer", s.testCanceledWatcher},
		{"concurrent writers and readers", s.testConcurrency},
	} {
		t.Run(tc.name, tc.test)
	}
}

// at is the fixtures' time m minutes after their reference time, whose
// nanoseconds check the store's fidelity.
func at(m int) metav1.Time {
	base := time.Date(2026, 3, 1, 10, 0, 0, 123456789, time.UTC)
	return metav1.NewTime(base.Add(time.Duration(m) * time.Minute))
}

// job is a small job for the list and watch tests.
func job(name string, refs *prowapi.Refs, jobName string, typ prowapi.ProwJobType, state prowapi.ProwJobState, start metav1.Time) *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       prowapi.ProwJobSpec{Type: typ, Agent: prowapi.KubernetesAgent, Job: jobName, Refs: refs},
		Status:     prowapi.ProwJobStatus{State: state, StartTime: start},
	}
}

// refs is org/repo with the given pulls.
func refs(org, repo string, pulls ...prowapi.Pull) *prowapi.Refs {
	return &prowapi.Refs{Org: org, Repo: repo, BaseRef: "main", BaseSHA: "base0", Pulls: pulls}
}

func pr(n int, author string) prowapi.Pull {
	return prowapi.Pull{Number: n, Author: author, SHA: "sha" + author}
}

// mustCreate creates the jobs and returns the stored ones by name.
func mustCreate(t *testing.T, s jobs.Store, pjs ...*prowapi.ProwJob) map[string]*prowapi.ProwJob {
	t.Helper()
	out := map[string]*prowapi.ProwJob{}
	for _, pj := range pjs {
		got, err := s.Create(t.Context(), pj)
		if err != nil {
			t.Fatalf("create job %s: %v", pj.Name, err)
		}
		out[got.Name] = got
	}
	return out
}

// listAll pages through f with pages of size and returns the names.
func listAll(t *testing.T, s jobs.Store, f jobs.Filter, size int) []string {
	t.Helper()
	var names []string
	page := jobs.Page{Limit: size}
	for range 10000 {
		l, err := s.List(t.Context(), f, page)
		if err != nil {
			t.Fatalf("list %+v at %q: %v", f, page.Continue, err)
		}
		if size > 0 && len(l.Items) > size {
			t.Fatalf("list %+v: a page of %d holds %d jobs", f, size, len(l.Items))
		}
		for _, pj := range l.Items {
			names = append(names, pj.Name)
		}
		if l.Continue == "" {
			return names
		}
		page.Continue = l.Continue
	}
	t.Fatalf("list %+v: the pages never end", f)
	return nil
}

// sameJob fails t unless got holds everything want does: name, labels,
// annotations, spec and status, times to the store's precision.
func (s suite) sameJob(t *testing.T, want, got *prowapi.ProwJob) {
	t.Helper()
	if got.Name != want.Name {
		t.Errorf("name = %q, want %q", got.Name, want.Name)
	}
	if !maps.Equal(got.Labels, want.Labels) || !maps.Equal(got.Annotations, want.Annotations) {
		t.Errorf("job %s: labels %v annotations %v, want %v and %v", want.Name, got.Labels, got.Annotations, want.Labels, want.Annotations)
	}
	if g, w := mustJSON(t, got.Spec), mustJSON(t, want.Spec); !bytes.Equal(g, w) {
		t.Errorf("job %s spec:\n got %s\nwant %s", want.Name, g, w)
	}
	gs, ws := got.Status.DeepCopy(), want.Status.DeepCopy()
	s.sameTime(t, want.Name+" start time", &ws.StartTime, &gs.StartTime)
	s.sameTime(t, want.Name+" pending time", ws.PendingTime, gs.PendingTime)
	s.sameTime(t, want.Name+" completion time", ws.CompletionTime, gs.CompletionTime)
	gs.StartTime, gs.PendingTime, gs.CompletionTime = metav1.Time{}, nil, nil
	ws.StartTime, ws.PendingTime, ws.CompletionTime = metav1.Time{}, nil, nil
	if g, w := mustJSON(t, gs), mustJSON(t, ws); !bytes.Equal(g, w) {
		t.Errorf("job %s status:\n got %s\nwant %s", want.Name, g, w)
	}
}

func (s suite) sameTime(t *testing.T, what string, want, got *metav1.Time) {
	t.Helper()
	if (want == nil) != (got == nil) {
		t.Errorf("%s = %v, want %v", what, got, want)
		return
	}
	if want == nil {
		return
	}
	p := s.opts.TimePrecision
	if p <= 0 {
		p = time.Nanosecond
	}
	if w, g := want.Truncate(p), got.Truncate(p); !w.Equal(g) {
		t.Errorf("%s = %s, want %s (to %s)", what, g.Format(time.RFC3339Nano), w.Format(time.RFC3339Nano), p)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	return b
}

// next returns the watch's next event, failing t if the channel closes
// or nothing comes within the guard.
func next(t *testing.T, ch <-chan jobs.Event) jobs.Event {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("the watch closed early")
		}
		return ev
	case <-time.After(guard):
		t.Fatal("no watch event within the guard")
	}
	return jobs.Event{}
}

// closes fails t unless ch closes (after any events) within the guard.
func closes(t *testing.T, ch <-chan jobs.Event) {
	t.Helper()
	timeout := time.After(guard)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("the watch did not close after its context ended")
		}
	}
}

// watch starts a watch that ends with the test or with cancel.
func watch(t *testing.T, s jobs.Store) (<-chan jobs.Event, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	ch, err := s.Watch(ctx)
	if err != nil {
		t.Fatalf("watch: %v", err)
	}
	return ch, cancel
}
