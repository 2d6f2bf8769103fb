package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
)

// TestControllerReplicasElectALeaderOnTheManager runs two `prow
// controller` replicas with leader election on: both sync their caches
// and answer ready (and serve their profiles), one leads and reconciles (its manager's metrics count
// the plank and crier reconciles, the other's none), and when the leader stops
// the other takes the lease and runs the next job.
func TestControllerReplicasElectALeaderOnTheManager(t *testing.T) {
	bin := buildProw(t)
	env := startKubeenv(t)
	w := newServeWorld(t, "", nil)
	cfgPath, presubmits, refs := clusterPull(t, w,
		clusterJob{"pull-first", kubeenv.OutcomeSucceed, "500ms"}, clusterJob{"pull-second", kubeenv.OutcomeSucceed, "500ms"})
	store := openJobs(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	type replica struct {
		p       *hookProcess
		log     *procLog
		metrics int
		health  int
		pprof   int
	}
	start := func() *replica {
		r := &replica{metrics: freePort(t), health: freePort(t), pprof: freePort(t)}
		args := append(controllerArgs(cfgPath, env, w), "--leader-elect=true", "--leader-elect-lease", "test-controller",
			"--metrics-port", strconv.Itoa(r.metrics), "--health-port", strconv.Itoa(r.health), "--pprof-port", strconv.Itoa(r.pprof))
		r.p = startProw(t, ctx, bin, "Serving operations endpoints", args...)
		r.log = collectLog(r.p)
		return r
	}
	a := start()
	eventually(t, time.Minute, "the first replica leading", func() bool { return len(a.log.matching("Leading")) > 0 })
	b := start()
	defer func() {
		if t.Failed() {
			t.Logf("first replica:\n%s\nsecond replica:\n%s", a.log.tail(40), b.log.tail(40))
		}
	}()
	for name, r := range map[string]*replica{"first": a, "second": b} {
		eventually(t, 30*time.Second, "the "+name+" replica ready", func() bool { return status(t, r.health, "/healthz/ready") == http.StatusOK })
		if got := status(t, r.pprof, "/debug/pprof/"); got != http.StatusOK {
			t.Errorf("the %s replica's /debug/pprof/ answers %d", name, got)
		}
	}

	builder := jobs.Builder{Namespace: prowJobNS}
	run := func(i int) {
		t.Helper()
		pj, err := store.Create(ctx, builder.Presubmit(presubmits[i], refs, nil))
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, time.Minute, "job "+pj.Spec.Job+" succeeded", func() bool {
			got, err := store.Get(ctx, pj.Name)
			return err == nil && got.Status.State == prowapi.SuccessState
		})
	}
	run(0)
	for _, ctl := range []string{"plank", "crier"} {
		eventually(t, 30*time.Second, "the leader's /metrics counting "+ctl+" reconciles", func() bool { return reconciles(t, a.metrics, ctl) > 0 })
		if got := reconciles(t, b.metrics, ctl); got != 0 {
			t.Errorf("the replica that does not lead counts %d %s reconciles", got, ctl)
		}
	}
	if len(b.log.matching("Leading")) > 0 {
		t.Fatalf("both replicas lead")
	}

	// The leader stops, releasing the lease; the other takes over.
	if err := a.p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := a.p.cmd.Wait(); err != nil {
		t.Errorf("the first replica did not stop cleanly: %v", err)
	}
	eventually(t, time.Minute, "the second replica leading", func() bool { return len(b.log.matching("Leading")) > 0 })
	run(1)
	if got := reconciles(t, b.metrics, "plank"); got == 0 {
		t.Errorf("the new leader's /metrics counts no plank reconciles")
	}
	stopGracefully(t, b.p, "the second replica")
}

// clusterPull writes the cluster configuration of specs (presubmits of
// demo/hello) and opens a pull request: the configuration's path, its
// presubmits and the pull request's refs.
func clusterPull(t *testing.T, w *serveWorld, specs ...clusterJob) (string, []config.Presubmit, prowapi.Refs) {
	t.Helper()
	cfgPath := writeClusterConfig(t, filepath.Join(w.dir, "cluster.yaml"), "", specs...)
	snap, _, err := config.Load(config.Options{ConfigPath: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	n, sha := w.openPull()
	refs := prowapi.Refs{Org: "demo", Repo: "hello", BaseRef: "main", BaseSHA: w.baseSHA(n),
		Pulls: []prowapi.Pull{{Number: n, Author: "member", SHA: sha}}}
	return cfgPath, snap.Config.PresubmitsFor("demo", "hello"), refs
}

// status is the HTTP status of a GET of path on a local port (0 when
// nothing answers).
func status(t *testing.T, port int, path string) int {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d%s", port, path))
	if err != nil {
		return 0
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// reconciles is the count of successful reconciles of the named
// reconciler on a controller's /metrics.
func reconciles(t *testing.T, port int, controller string) int {
	t.Helper()
	return int(scrape(t, port).samples("controller_runtime_reconcile_total")[`controller="`+controller+`",result="success"`])
}
