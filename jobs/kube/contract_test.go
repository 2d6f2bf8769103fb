package kube

import (
	"testing"

	"github.com/prowbot/prow/jobs/contract"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/test/kubeenv"
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
