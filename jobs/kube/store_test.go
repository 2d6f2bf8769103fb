package kube

import (
	"testing"
	"time"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/storetest"
)

// TestStoreContract runs the shared store suite against ProwJob
// resources on a real API server, a namespace per test.
func TestStoreContract(t *testing.T) {
	env := testenv.Env(t)
	// Kubernetes keeps metav1.Time to the second.
	storetest.RunWithOptions(t, storetest.Options{TimePrecision: time.Second}, func(t *testing.T) jobs.Store {
		return openStore(t, env, namespace(t, env))
	})
}
