package kube

import (
	"context"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/prowbot/prow/jobs/contract"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
	"github.com/prowbot/prow/test/testlog"
)

// TestContractOnProwJobsAndPods runs the job lifecycle contract against
// cluster mode: ProwJob resources and pods that the fake node runs.
func TestContractOnProwJobsAndPods(t *testing.T) {
	env := testenv.Env(t)
	outcomes := map[contract.Outcome]string{contract.Succeed: kubeenv.OutcomeSucceed, contract.Fail: kubeenv.OutcomeFail, contract.Hang: kubeenv.OutcomeHang}
	contract.Run(t, func(t *testing.T) *contract.Backend {
		ns := namespace(t, env)
		store := openStore(t, env, ns)
		counter := countPods(t, env.Client, ns)
		return &contract.Backend{
			Store:  store,
			Runner: openRunner(t, env, ns, store, pods.Options{}),
			Job: func(name string, outcome contract.Outcome) *prowapi.ProwJob {
				return kwokJob(name, ns, outcomes[outcome], 1)
			},
			Runs: func(_ *testing.T, pj *prowapi.ProwJob) int { return counter.runs(pj) },
		}
	})
}

// TestContractOnAManagersCaches runs the contract with the store and the
// pod caches on a controller-runtime manager, as the cluster components
// make them (OnManager, pods.Options.On).
func TestContractOnAManagersCaches(t *testing.T) {
	env := testenv.Env(t)
	outcomes := map[contract.Outcome]string{contract.Succeed: kubeenv.OutcomeSucceed, contract.Fail: kubeenv.OutcomeFail, contract.Hang: kubeenv.OutcomeHang}
	contract.Run(t, func(t *testing.T) *contract.Backend {
		ns := namespace(t, env)
		opts := Options{Config: env.Config, Namespace: ns, Logger: testlog.Discard()}
		cfg, mo, err := ManagerOptions(opts)
		if err != nil {
			t.Fatal(err)
		}
		mo.Metrics = metricsserver.Options{BindAddress: "0"}
		mgr, err := manager.New(cfg, mo)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		store, err := OnManager(ctx, mgr, opts)
		if err != nil {
			t.Fatal(err)
		}
		runner := openRunner(t, env, ns, store, pods.Options{On: mgr})
		done := make(chan error, 1)
		go func() { done <- mgr.Start(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("manager: %v", err)
			}
		})
		if !store.WaitForSync(ctx) {
			t.Fatal("the manager's ProwJob cache did not sync")
		}
		counter := countPods(t, env.Client, ns)
		return &contract.Backend{
			Store:  store,
			Runner: runner,
			Job: func(name string, outcome contract.Outcome) *prowapi.ProwJob {
				return kwokJob(name, ns, outcomes[outcome], 1)
			},
			Runs: func(_ *testing.T, pj *prowapi.ProwJob) int { return counter.runs(pj) },
		}
	})
}
