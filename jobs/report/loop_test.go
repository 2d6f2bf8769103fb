package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/memstore"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/testlog"
	"github.com/prowbot/prow/test/wait"
)

// call is one report a recorder got.
type call struct {
	job   string
	state prowapi.ProwJobState
}

// recorder is a Reporter that remembers what it was asked to report.
type recorder struct {
	name string
	// fail makes the first n reports fail.
	fail int
	// during runs inside Report.
	during func(ctx context.Context, pj *prowapi.ProwJob)

	mu       sync.Mutex
	calls    []call
	inflight map[string]bool
	overlaps []string
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) ShouldReport(_ *config.Config, pj *prowapi.ProwJob) bool {
	return pj.Spec.Type != prowapi.PeriodicJob
}

func (r *recorder) Report(ctx context.Context, _ *logrus.Entry, _ *config.Config, pj *prowapi.ProwJob) error {
	r.mu.Lock()
	if r.inflight == nil {
		r.inflight = map[string]bool{}
	}
	if r.inflight[pj.Name] {
		r.overlaps = append(r.overlaps, pj.Name)
	}
	r.inflight[pj.Name] = true
	r.calls = append(r.calls, call{pj.Name, pj.Status.State})
	failing := r.fail > 0
	r.fail--
	r.mu.Unlock()
	if r.during != nil {
		r.during(ctx, pj)
	}
	r.mu.Lock()
	delete(r.inflight, pj.Name)
	r.mu.Unlock()
	if failing {
		return errors.New("the outside world is down")
	}
	return nil
}

func (r *recorder) got() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

func (r *recorder) gotFor(job string) []prowapi.ProwJobState {
	var out []prowapi.ProwJobState
	for _, c := range r.got() {
		if c.job == job {
			out = append(out, c.state)
		}
	}
	return out
}

// eventually waits up to 10 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	wait.For(t, 10*time.Second, what, cond)
}

// startLoop runs a loop until the test ends; stop ends it early and
// waits for Run to return.
func startLoop(t *testing.T, store *memstore.Store, workers int, reporters ...Reporter) (l *Loop, stop func()) {
	t.Helper()
	l, err := NewLoop(LoopOptions{Store: store, Config: func() *config.Config { return &config.Config{} },
		Reporters: reporters, Logger: testlog.Discard(), Workers: workers, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	})
	t.Cleanup(stop)
	return l, stop
}

func newJob(name string, state prowapi.ProwJobState) *prowapi.ProwJob {
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull-unit"},
		Status:     prowapi.ProwJobStatus{State: state},
	}
}

// setState changes a stored job, retrying on conflicts with the loop's
// own writes.
func setState(t *testing.T, store *memstore.Store, name string, mut func(pj *prowapi.ProwJob)) {
	t.Helper()
	for range 100 {
		pj, err := store.Get(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		mut(pj)
		if _, err = store.Update(t.Context(), pj); err == nil {
			return
		}
	}
	t.Fatalf("could not update job %s", name)
}

// recorded says whether every reporter recorded state for the job.
func recorded(t *testing.T, store *memstore.Store, name string, state prowapi.ProwJobState, reporters ...string) func() bool {
	return func() bool {
		pj, err := store.Get(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reporters {
			if pj.Status.PrevReportStates[r] != state {
				return false
			}
		}
		return true
	}
}

func TestLoopReportsEachStateOncePerReporter(t *testing.T) {
	store := memstore.New()
	a, b := &recorder{name: "a"}, &recorder{name: "b"}
	startLoop(t, store, 1, a, b)
	if _, err := store.Create(t.Context(), newJob("j1", prowapi.TriggeredState)); err != nil {
		t.Fatal(err)
	}
	states := []prowapi.ProwJobState{prowapi.TriggeredState, prowapi.PendingState, prowapi.SuccessState}
	for i, s := range states {
		if i > 0 {
			setState(t, store, "j1", func(pj *prowapi.ProwJob) { pj.Status.State = s })
		}
		eventually(t, "state "+string(s)+" recorded", recorded(t, store, "j1", s, "a", "b"))
		// Changes that leave the state alone are repeated events for
		// the same state.
		for n := range 3 {
			setState(t, store, "j1", func(pj *prowapi.ProwJob) { pj.Status.Description = fmt.Sprint("touch ", n) })
		}
	}
	// With one worker, names are handled in order: once a later job is
	// recorded, the touches of j1 were handled.
	if _, err := store.Create(t.Context(), newJob("marker", prowapi.PendingState)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the marker recorded", recorded(t, store, "marker", prowapi.PendingState, "a", "b"))
	for _, r := range []*recorder{a, b} {
		if got := r.gotFor("j1"); !slices.Equal(got, states) {
			t.Errorf("reporter %s reported %v, want %v", r.name, got, states)
		}
	}
}

func TestLoopRetriesAFailingReport(t *testing.T) {
	store := memstore.New()
	flaky, steady := &recorder{name: "flaky", fail: 2}, &recorder{name: "steady"}
	startLoop(t, store, 2, flaky, steady)
	if _, err := store.Create(t.Context(), newJob("j1", prowapi.FailureState)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the flaky report recorded", recorded(t, store, "j1", prowapi.FailureState, "flaky", "steady"))
	if got := flaky.gotFor("j1"); len(got) != 3 {
		t.Errorf("flaky reporter called %d times (%v), want 3: two failures and a success", len(got), got)
	}
	if got := steady.gotFor("j1"); len(got) != 1 {
		t.Errorf("steady reporter called %d times, want once: its report was recorded despite the other's failure", len(got))
	}
}

func TestANewLoopDoesNotReportRecordedStatesAgain(t *testing.T) {
	store := memstore.New()
	first := &recorder{name: "r"}
	_, stop := startLoop(t, store, 2, first)
	for _, name := range []string{"j1", "j2"} {
		if _, err := store.Create(t.Context(), newJob(name, prowapi.SuccessState)); err != nil {
			t.Fatal(err)
		}
		eventually(t, name+" recorded", recorded(t, store, name, prowapi.SuccessState, "r"))
	}
	stop()

	second := &recorder{name: "r"}
	l2, _ := startLoop(t, store, 1, second)
	if _, err := store.Create(t.Context(), newJob("marker", prowapi.PendingState)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the marker recorded", recorded(t, store, "marker", prowapi.PendingState, "r"))
	pj, err := store.Get(t.Context(), "j1")
	if err != nil {
		t.Fatal(err)
	}
	if err := l2.ReportOnce(t.Context(), pj); err != nil {
		t.Fatal(err)
	}
	if got := second.got(); !slices.Equal(got, []call{{"marker", prowapi.PendingState}}) {
		t.Errorf("the new loop reported %v, want only the marker", got)
	}
}

func TestLoopNeverReportsAJobTwiceAtOnce(t *testing.T) {
	store := memstore.New()
	r := &recorder{name: "r"}
	startLoop(t, store, 4, r)
	const n = 10
	states := []prowapi.ProwJobState{prowapi.TriggeredState, prowapi.PendingState, prowapi.FailureState}
	for i := range n {
		if _, err := store.Create(t.Context(), newJob(fmt.Sprint("j", i), states[0])); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range states[1:] {
		for i := range n {
			setState(t, store, fmt.Sprint("j", i), func(pj *prowapi.ProwJob) { pj.Status.State = s })
		}
	}
	for i := range n {
		eventually(t, "final states recorded", recorded(t, store, fmt.Sprint("j", i), prowapi.FailureState, "r"))
	}
	r.mu.Lock()
	overlaps := slices.Clone(r.overlaps)
	r.mu.Unlock()
	if len(overlaps) > 0 {
		t.Errorf("jobs reported twice at once: %v", overlaps)
	}
	for i := range n {
		got := r.gotFor(fmt.Sprint("j", i))
		// States may be coalesced, never repeated nor reordered.
		if !slices.IsSortedFunc(got, func(x, y prowapi.ProwJobState) int {
			return slices.Index(states, x) - slices.Index(states, y)
		}) || len(slices.Compact(slices.Clone(got))) != len(got) || got[len(got)-1] != prowapi.FailureState {
			t.Errorf("job j%d reported %v", i, got)
		}
	}
}

func TestRecordingLeavesAStateSomeoneElseSetAlone(t *testing.T) {
	store := memstore.New()
	// While the running job is being reported, the controller aborts it
	// as superseded and marks it reported.
	r := &recorder{name: GitHubReporterName}
	r.during = func(_ context.Context, pj *prowapi.ProwJob) {
		setState(t, store, pj.Name, func(pj *prowapi.ProwJob) {
			pj.Status.State = prowapi.AbortedState
			pj.Status.PrevReportStates = map[string]prowapi.ProwJobState{GitHubReporterName: prowapi.AbortedState}
		})
	}
	l, err := NewLoop(LoopOptions{Store: store, Config: func() *config.Config { return &config.Config{} }, Reporters: []Reporter{r}, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	pj, err := store.Create(t.Context(), newJob("j1", prowapi.PendingState))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.ReportOnce(t.Context(), pj); err != nil {
		t.Fatal(err)
	}
	r.during = nil
	stored, err := store.Get(t.Context(), "j1")
	if err != nil {
		t.Fatal(err)
	}
	if got := stored.Status.PrevReportStates[GitHubReporterName]; got != prowapi.AbortedState {
		t.Fatalf("prev_report_states = %q, want the controller's aborted kept", got)
	}
	if err := l.ReportOnce(t.Context(), stored); err != nil {
		t.Fatal(err)
	}
	if got := r.got(); len(got) != 1 {
		t.Errorf("reports %v, want only the pending one", got)
	}
}

func TestLoopOptionsAreChecked(t *testing.T) {
	cfg := func() *config.Config { return &config.Config{} }
	cases := []struct {
		name string
		o    LoopOptions
	}{
		{"no store", LoopOptions{Config: cfg, Reporters: []Reporter{&recorder{name: "a"}}}},
		{"no config", LoopOptions{Store: memstore.New(), Reporters: []Reporter{&recorder{name: "a"}}}},
		{"no reporters", LoopOptions{Store: memstore.New(), Config: cfg}},
		{"two reporters with one name", LoopOptions{Store: memstore.New(), Config: cfg, Reporters: []Reporter{&recorder{name: "a"}, &recorder{name: "a"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := NewLoop(c.o); err == nil {
				t.Error("NewLoop accepted the options")
			}
		})
	}
}

func TestBackoffDoublesUpToTheLimit(t *testing.T) {
	cases := []struct {
		n    int
		want time.Duration
	}{{0, time.Second}, {1, 2 * time.Second}, {3, 8 * time.Second}, {10, time.Minute}, {1000, time.Minute}}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.n, " failures"), func(t *testing.T) {
			if got := backoff(time.Second, time.Minute, c.n); got != c.want {
				t.Errorf("backoff = %v, want %v", got, c.want)
			}
		})
	}
}
