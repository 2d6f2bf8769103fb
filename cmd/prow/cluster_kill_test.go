package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
)

// TestControllerSurvivesSIGKILLWithOnePodPerJob kills `prow controller`
// again and again while ten decorated presubmits go through it: the
// moment a pod appears (before the job can record it or finish), the
// moment a job is written pending (before or just as its pod is made),
// and at random times after a restart. Each time it is restarted. At
// the end every job has had exactly one pod, as a watch of every pod
// made during the test shows, every job ended as its pod did, and the
// sandbox GitHub shows each job's final state.
func TestControllerSurvivesSIGKILLWithOnePodPerJob(t *testing.T) {
	bin := buildProw(t)
	env := startKubeenv(t)
	w := newServeWorld(t, "", nil)
	var specs []clusterJob
	for i := range 10 {
		outcome := kubeenv.OutcomeSucceed
		if i%3 == 1 {
			outcome = kubeenv.OutcomeFail
		}
		specs = append(specs, clusterJob{fmt.Sprintf("pull-%d", i), outcome, fmt.Sprintf("%dms", 2000+250*(i%5))})
	}
	cfgPath, presubmits, refs := clusterPull(t, w, specs...)
	sha := refs.Pulls[0].SHA
	store := openJobs(t, env)
	pods := watchPods(t, env.Client, testPodNS)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	builder := jobs.Builder{Namespace: prowJobNS}
	wantState := map[string]prowapi.ProwJobState{}
	create := func(from, to int) (names []string) {
		for _, ps := range presubmits[from:to] {
			pj, err := store.Create(ctx, builder.Presubmit(ps, refs, nil))
			if err != nil {
				t.Fatal(err)
			}
			wantState[pj.Name] = map[string]prowapi.ProwJobState{kubeenv.OutcomeSucceed: prowapi.SuccessState,
				kubeenv.OutcomeFail: prowapi.FailureState}[pj.Annotations[kubeenv.OutcomeAnnotation]]
			names = append(names, pj.Name)
		}
		return names
	}
	args := controllerArgs(cfgPath, env, w)
	var kills []string
	kill := func(p *hookProcess, when string) {
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.cmd.Wait()
		inFlight := 0
		for _, pj := range allJobs(t, store) {
			if !pj.Complete() {
				inFlight++
			}
		}
		kills = append(kills, fmt.Sprintf("%s, %d jobs in flight", when, inFlight))
	}
	start := time.Now()

	// The moment a pod appears.
	p := startProw(t, ctx, bin, "", args...)
	create(0, 3)
	pods.waitFor(t, "the first pod", time.Minute, func() bool { return pods.total() > 0 })
	kill(p, "first pod made")

	// The moment a job is written pending.
	p = startProw(t, ctx, bin, "", args...)
	name := create(3, 4)[0]
	eventually(t, time.Minute, "the new job pending", func() bool {
		pj, err := store.Get(ctx, name)
		return err == nil && pj.Status.State != prowapi.TriggeredState
	})
	kill(p, fmt.Sprintf("job pending (%d pods made)", pods.made(name)))

	// The moment the next pod appears.
	p = startProw(t, ctx, bin, "", args...)
	before := pods.total()
	create(4, 5)
	pods.waitFor(t, "another pod", time.Minute, func() bool { return pods.total() > before })
	kill(p, "another pod made")

	// At random times.
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	for i := range 5 {
		p = startProw(t, ctx, bin, "", args...)
		create(5+i, 6+i)
		after := time.Duration(rng.Int64N(int64(1500 * time.Millisecond)))
		<-time.After(after) // a moment to kill at, not a wait for a condition
		kill(p, fmt.Sprintf("%s after a restart", after.Round(time.Millisecond)))
	}

	last := startReady(t, ctx, bin, args...)
	lastLog := collectLog(last)
	defer func() {
		if t.Failed() {
			t.Logf("the last controller's log:\n%s", lastLog.tail(60))
		}
	}()
	eventually(t, 2*time.Minute, "every job finished", func() bool {
		for _, pj := range allJobs(t, store) {
			if !pj.Complete() {
				return false
			}
		}
		return true
	})
	finished := time.Since(start)
	eventually(t, time.Minute, "every context final on GitHub", func() bool {
		l := latest(w.statuses(sha))
		for _, ps := range presubmits {
			if s := l[ps.Context].State; s == "" || s == "pending" {
				return false
			}
		}
		return true
	})
	stopGracefully(t, last, "the last controller")

	onGitHub := latest(w.statuses(sha))
	all := allJobs(t, store)
	if len(all) != len(presubmits) {
		t.Errorf("%d jobs, want %d", len(all), len(presubmits))
	}
	for _, pj := range all {
		if n := pods.made(pj.Name); n != 1 {
			t.Errorf("job %s had %d pods, want exactly 1", pj.Spec.Job, n)
		}
		if pj.Status.State != wantState[pj.Name] {
			t.Errorf("job %s ended %s (%q), want %s as its pod did", pj.Spec.Job, pj.Status.State, pj.Status.Description, wantState[pj.Name])
		}
		want := map[prowapi.ProwJobState]string{prowapi.SuccessState: "success", prowapi.FailureState: "failure",
			prowapi.ErrorState: "error", prowapi.AbortedState: "failure"}[pj.Status.State]
		if got := onGitHub[pj.Spec.Context].State; got != want {
			t.Errorf("job %s ended %s but GitHub shows %q", pj.Spec.Job, pj.Status.State, got)
		}
	}
	if pods.total() != len(presubmits) {
		t.Errorf("%d pods made in all, want %d", pods.total(), len(presubmits))
	}
	if err := pods.failure(); err != nil {
		t.Error(err)
	}
	t.Logf("%d kills (seed %d): %q; every job finished %s after the first start", len(kills), seed, kills, finished.Round(time.Millisecond))
}
