package local

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs/contract"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// TestContractOnSQLiteAndLocalRunner runs the state-machine contract
// against the embedded mode: the SQLite store and local processes.
func TestContractOnSQLiteAndLocalRunner(t *testing.T) {
	contract.Run(t, func(t *testing.T) *contract.Backend {
		store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "jobs.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close() })
		runs, bucket := t.TempDir(), t.TempDir()
		r := newQuietRunner(t, Options{WorkDir: t.TempDir()})
		return &contract.Backend{
			Store:  store,
			Runner: r,
			Job: func(name string, outcome contract.Outcome) *prowapi.ProwJob {
				return contractJob(name, outcome, runs, bucket)
			},
			Runs: func(t *testing.T, pj *prowapi.ProwJob) int {
				b, err := os.ReadFile(filepath.Join(runs, pj.Name))
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				return bytes.Count(b, []byte("\n"))
			},
		}
	})
}

// contractJob is a presubmit of org/repo#1 (nothing cloned) whose command
// records each start in runs/<name> and then ends as outcome says.
func contractJob(name string, outcome contract.Outcome, runs, bucket string) *prowapi.ProwJob {
	end := map[contract.Outcome]string{contract.Succeed: "exit 0", contract.Fail: "exit 1", contract.Hang: "sleep 600"}[outcome]
	skip := true
	pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{
		Type: prowapi.PresubmitJob, Job: "contract-" + name, Agent: prowapi.KubernetesAgent, Context: "contract-" + name,
		Refs: &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "0000000000000000000000000000000000000000",
			Pulls: []prowapi.Pull{{Number: 1, Author: "alice", SHA: "1111111111111111111111111111111111111111"}}},
		PodSpec: &corev1.PodSpec{Containers: []corev1.Container{{Name: "test", Image: "unused",
			Command: []string{"sh", "-c", `echo started >> "$RUNS/$PROW_JOB_ID"; ` + end}, Env: []corev1.EnvVar{{Name: "RUNS", Value: runs}}}}},
		DecorationConfig: &prowapi.DecorationConfig{
			Timeout: prowapi.NewDuration(10 * time.Minute), GracePeriod: prowapi.NewDuration(time.Second), SkipCloning: &skip,
			GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + bucket, PathStrategy: storage.PathStrategyExplicit},
		},
	}}
	pj.Name = name
	pj.Status.State = prowapi.TriggeredState
	pj.Status.StartTime = metav1.Now()
	return pj
}

// newQuietRunner is a runner of o with a plain bucket opener, logging
// through quietLogger, closed when the test ends.
func newQuietRunner(t testing.TB, o Options) *Runner {
	t.Helper()
	o.Buckets, o.Logger = storage.NewOpener(storage.GCSOptions{}), quietLogger()
	r, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func quietLogger() *logrus.Entry {
	log := logrus.New()
	log.SetLevel(logrus.WarnLevel)
	return logrus.NewEntry(log)
}
