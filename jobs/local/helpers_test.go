package local

import (
	"context"
	"os"
	"os/exec"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/test/seed"
)

// testEnv is a sandbox GitHub with demo/hello and its pull request 1, a
// local bucket and a runner.
type testEnv struct {
	t         *testing.T
	gitURL    string
	base, pr  string // SHAs of main and of the pull request's head
	bucketDir string
	bucket    storage.Bucket
	workDir   string
	r         *Runner
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	seeded := seed.New().User("alice", "alice-token").Members("alice").
		Files(sandbox.FileChanges{"README.md": "hello\n"}).
		Pull("alice", "Add a file", sandbox.FileChanges{"added.txt": "from the PR\n"}).Seed()
	_, ts := seed.Serve(t, seeded)
	e := &testEnv{t: t, gitURL: ts.URL, bucketDir: t.TempDir(), workDir: t.TempDir()}
	out, err := exec.Command("git", "ls-remote", ts.URL+"/demo/hello.git").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		sha, ref, _ := strings.Cut(line, "\t")
		switch ref {
		case "refs/heads/main":
			e.base = sha
		case "refs/pull/1/head":
			e.pr = sha
		}
	}
	if e.bucket, err = storage.NewLocal(e.bucketDir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.bucket.Close() })
	e.r = e.newRunner()
	return e
}

func (e *testEnv) newRunner() *Runner {
	e.t.Helper()
	log := logrus.New()
	log.SetLevel(logrus.WarnLevel)
	r, err := New(Options{
		WorkDir:   e.workDir,
		Buckets:   storage.NewOpener(storage.GCSOptions{}),
		RemoteURL: func(org, repo string) string { return e.gitURL + "/" + org + "/" + repo + ".git" },
		Logger:    logrus.NewEntry(log),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = r.Close() })
	return r
}

// presubmit is a job testing pull request 1 of demo/hello with a command.
func (e *testEnv) presubmit(name string, command ...string) *prowapi.ProwJob {
	pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{
		Type: prowapi.PresubmitJob, Job: "pull-hello", Agent: prowapi.KubernetesAgent,
		Refs: &prowapi.Refs{Org: "demo", Repo: "hello", BaseRef: "main", BaseSHA: e.base,
			Pulls: []prowapi.Pull{{Number: 1, Author: "alice", SHA: e.pr, Title: "Add a file"}}},
		PodSpec: &corev1.PodSpec{Containers: []corev1.Container{{Name: "test", Image: "unused", Command: command}}},
		DecorationConfig: &prowapi.DecorationConfig{
			Timeout: prowapi.NewDuration(time.Minute), GracePeriod: prowapi.NewDuration(time.Second),
			GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "file://" + e.bucketDir, PathStrategy: storage.PathStrategyExplicit},
		},
	}}
	pj.Name = name
	pj.Status.BuildID = "100" + strings.TrimPrefix(name, "run")
	return pj
}

// periodic is a job without refs (nothing to clone).
func (e *testEnv) periodic(name string, command ...string) *prowapi.ProwJob {
	pj := e.presubmit(name, command...)
	pj.Spec.Type, pj.Spec.Job, pj.Spec.Refs = prowapi.PeriodicJob, "ci-hello", nil
	return pj
}

// run starts pj and waits for its run to end.
func (e *testEnv) run(pj *prowapi.ProwJob) jobs.RunStatus {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := e.r.Start(ctx, pj); err != nil {
		e.t.Fatal(err)
	}
	if err := e.r.Wait(ctx, pj); err != nil {
		e.t.Fatal(err)
	}
	st, err := e.r.Status(ctx, pj)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

// waitRunning waits for pj's command to run and for the run's state file
// to record its process (saved once no burst of starts is going). The
// runner tells when a run changes; the state file is read then.
func (e *testEnv) waitRunning(r *Runner, pj *prowapi.ProwJob) state {
	e.t.Helper()
	changed := make(chan struct{}, 1)
	r.NotifyRunChanges(func(name string) {
		if name == pj.Name {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	})
	defer r.NotifyRunChanges(func(string) {})
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for {
		s, err := readState(r.runDir(pj.Name))
		if err == nil && s.PID != 0 {
			return s
		}
		select {
		case <-changed:
		case <-timeout.C:
			e.t.Fatalf("job %s: the state file has no process after a minute: %+v, %v", pj.Name, s, err)
		}
	}
}

// object reads an object of pj's build directory.
func (e *testEnv) object(pj *prowapi.ProwJob, name string) string {
	e.t.Helper()
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		e.t.Fatal(err)
	}
	data, err := e.bucket.Read(context.Background(), path.Join(a.Dir, name))
	if err != nil {
		e.t.Fatalf("read %s: %v", name, err)
	}
	return string(data)
}

func (e *testEnv) finished(pj *prowapi.ProwJob) storage.Finished {
	e.t.Helper()
	a, err := jobs.ArtifactsOf(pj)
	if err != nil {
		e.t.Fatal(err)
	}
	var f storage.Finished
	if err := storage.ReadJSON(context.Background(), e.bucket, path.Join(a.Dir, storage.FinishedFile), &f); err != nil {
		e.t.Fatal(err)
	}
	return f
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
