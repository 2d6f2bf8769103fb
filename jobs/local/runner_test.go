package local

import (
	"context"
	"encoding/json"
	"path"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

func TestRunOutcomes(t *testing.T) {
	e := newTestEnv(t)
	for _, tc := range []struct {
		name  string
		job   func() *prowapi.ProwJob
		check func(t *testing.T, pj *prowapi.ProwJob, st jobs.RunStatus)
	}{
		{
			name: "a job that succeeds leaves Prow's layout in the bucket",
			job: func() *prowapi.ProwJob {
				pj := e.presubmit("run1", "sh", "-c", `echo hi; echo "job $1 $FOO in $PULL_REFS"; test -f added.txt || exit 9; mkdir -p $ARTIFACTS && echo x > $ARTIFACTS/junit_1.xml`, "sh", "$(JOB_NAME)")
				pj.Spec.PodSpec.Containers[0].Env = []corev1.EnvVar{{Name: "FOO", Value: "foo-$(BUILD_ID)"}, {Name: "JOB_NAME", Value: "not-overridden"}}
				return pj
			},
			check: func(t *testing.T, pj *prowapi.ProwJob, st jobs.RunStatus) {
				if st.Phase != jobs.RunSucceeded || st.StartedAt.IsZero() || st.FinishedAt.Before(st.StartedAt) {
					t.Fatalf("status %+v; build log:\n%s", st, e.object(pj, "build-log.txt"))
				}
				want := "hi\njob pull-hello foo-1001 in main:" + e.base + ",1:" + e.pr + "\n"
				if got := e.object(pj, "build-log.txt"); got != want {
					t.Errorf("build-log.txt = %q, want %q", got, want)
				}
				if got := e.object(pj, "artifacts/junit_1.xml"); got != "x\n" {
					t.Errorf("artifacts/junit_1.xml = %q", got)
				}
				var started storage.Started
				if err := json.Unmarshal([]byte(e.object(pj, "started.json")), &started); err != nil {
					t.Fatal(err)
				}
				if started.Pull != "1" || started.Repos["demo/hello"] != "main:"+e.base+",1:"+e.pr || len(started.RepoCommit) != 40 || started.RepoCommit == e.pr || started.Timestamp == 0 {
					t.Errorf("started.json = %+v (the repo commit should be the merge)", started)
				}
				f := e.finished(pj)
				if f.Passed == nil || !*f.Passed || f.Result != "SUCCESS" || f.Revision != e.pr || f.Timestamp == nil {
					t.Errorf("finished.json = %+v", f)
				}
				for _, p := range []string{"pr-logs/directory/pull-hello/latest-build.txt", "pr-logs/pull/demo_hello/1/pull-hello/latest-build.txt"} {
					if data, err := e.bucket.Read(context.Background(), p); err != nil || string(data) != "1001" {
						t.Errorf("%s = %q, %v", p, data, err)
					}
				}
				alias := "pr-logs/directory/pull-hello/1001.txt"
				link := e.bucket.URL("pr-logs/pull/demo_hello/1/pull-hello/1001")
				attrs, err := e.bucket.Attributes(context.Background(), alias)
				if data, rerr := e.bucket.Read(context.Background(), alias); err != nil || rerr != nil || string(data) != link || attrs.Metadata[storage.AliasLinkMetadataKey] != link {
					t.Errorf("alias %s = %q %v, %v %v", alias, data, attrs.Metadata, err, rerr)
				}
				if !strings.Contains(e.object(pj, "clone-log.txt"), "$ git merge --no-ff "+e.pr) || !strings.Contains(e.object(pj, "clone-records.json"), `"final_sha"`) {
					t.Error("the clone records were not uploaded")
				}
			},
		},
		{
			name: "a job that exits 3 fails with its exit code",
			job:  func() *prowapi.ProwJob { return e.periodic("run2", "sh", "-c", "echo failing; exit 3") },
			check: func(t *testing.T, pj *prowapi.ProwJob, st jobs.RunStatus) {
				if st.Phase != jobs.RunFailed || st.Message != "Job failed: its command exited with code 3." {
					t.Errorf("status %+v", st)
				}
				if f := e.finished(pj); f.Passed == nil || *f.Passed || f.Result != "FAILURE" {
					t.Errorf("finished.json = %+v", f)
				}
				if s, err := readState(e.r.runDir(pj.Name)); err != nil || s.ExitCode == nil || *s.ExitCode != 3 {
					t.Errorf("state %+v, %v", s, err)
				}
				if e.object(pj, "build-log.txt") != "failing\n" {
					t.Error("wrong build log")
				}
			},
		},
		{
			name: "a command that does not exist fails like exit code 127",
			job:  func() *prowapi.ProwJob { return e.periodic("run3", "no-such-command-here", "--flag") },
			check: func(t *testing.T, pj *prowapi.ProwJob, st jobs.RunStatus) {
				if st.Phase != jobs.RunFailed || !strings.Contains(st.Message, "no-such-command-here") || !strings.Contains(st.Message, "exit code 127") {
					t.Errorf("status %+v", st)
				}
				if log := e.object(pj, "build-log.txt"); !strings.Contains(log, "executable file not found") {
					t.Errorf("build log %q", log)
				}
				if s, err := readState(e.r.runDir(pj.Name)); err != nil || s.ExitCode == nil || *s.ExitCode != 127 {
					t.Errorf("state %+v, %v", s, err)
				}
			},
		},
		{
			name: "a job that ignores signals is killed after its timeout and grace period",
			job: func() *prowapi.ProwJob {
				pj := e.periodic("run4", "sh", "-c", "trap '' TERM INT; echo waiting; sleep 100")
				pj.Spec.DecorationConfig.Timeout = prowapi.NewDuration(time.Second)
				return pj
			},
			check: func(t *testing.T, pj *prowapi.ProwJob, st jobs.RunStatus) {
				if st.Phase != jobs.RunFailed || st.Message != "Job timed out after 1s." {
					t.Errorf("status %+v", st)
				}
				if took := st.FinishedAt.Sub(st.StartedAt); took < time.Second || took > 2*time.Second+time.Second {
					t.Errorf("the job ran %s with a timeout of 1s and a grace period of 1s", took)
				}
				log := e.object(pj, "build-log.txt")
				if !strings.Contains(log, "did not finish before 1s timeout") || !strings.Contains(log, "did not exit before 1s grace period") {
					t.Errorf("build log %q", log)
				}
				if f := e.finished(pj); f.Result != "FAILURE" {
					t.Errorf("finished.json = %+v", f)
				}
			},
		},
		{
			name: "a base ref that does not exist fails the clone and the job",
			job: func() *prowapi.ProwJob {
				pj := e.presubmit("run5", "sh", "-c", "echo should not run")
				pj.Spec.Refs.BaseRef, pj.Spec.Refs.BaseSHA = "no-such-branch", ""
				return pj
			},
			check: func(t *testing.T, pj *prowapi.ProwJob, st jobs.RunStatus) {
				if st.Phase != jobs.RunFailed || !strings.HasPrefix(st.Message, "Cloning the job's refs failed: clone of demo/hello at no-such-branch,1:") {
					t.Errorf("status %+v", st)
				}
				if f := e.finished(pj); f.Passed == nil || *f.Passed || f.Result != "FAILURE" {
					t.Errorf("finished.json = %+v", f)
				}
				if log := e.object(pj, "build-log.txt"); !strings.HasPrefix(log, "# FAILED!") || strings.Contains(log, "should not run") {
					t.Errorf("build log %q", log)
				}
				if !strings.Contains(e.object(pj, "clone-records.json"), `"failed": true`) {
					t.Error("clone-records.json does not say the clone failed")
				}
			},
		},
		{
			name: "a job without a command is an error",
			job: func() *prowapi.ProwJob {
				pj := e.periodic("run6")
				return pj
			},
			check: func(t *testing.T, _ *prowapi.ProwJob, st jobs.RunStatus) {
				if st.Phase != jobs.RunError || !strings.Contains(st.Message, "has no command") {
					t.Errorf("status %+v", st)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pj := tc.job()
			tc.check(t, pj, e.run(pj))
		})
	}
}

func TestStartIsIdempotent(t *testing.T) {
	e := newTestEnv(t)
	pj := e.periodic("run1", "sh", "-c", `echo once >> "$ARTIFACTS/../count"`)
	ctx := context.Background()
	if err := e.r.Start(ctx, pj); err != nil {
		t.Fatal(err)
	}
	if err := e.r.Start(ctx, pj); err != nil {
		t.Fatal(err)
	}
	if st := e.run(pj); st.Phase != jobs.RunSucceeded {
		t.Fatalf("status %+v", st)
	}
	other := e.newRunner()
	if err := other.Start(ctx, pj); err != nil {
		t.Fatal(err)
	}
	if err := other.Wait(ctx, pj); err == nil {
		t.Error("a second runner started the run again")
	}
	if st, err := other.Status(ctx, pj); err != nil || st.Phase != jobs.RunSucceeded {
		t.Errorf("status from the second runner %+v, %v", st, err)
	}
	if data := readFile(t, path.Join(e.workDir, pj.Name, "count")); data != "once\n" {
		t.Errorf("the command ran %d times", strings.Count(data, "once"))
	}
}
