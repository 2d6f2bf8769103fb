package downward

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// downwardNames are the variables Env owns in a decorated pod.
var downwardNames = []string{
	CIEnv, JobNameEnv, JobTypeEnv, JobSpecEnv, BuildIDEnv, BuildNumberEnv, ProwJobIDEnv,
	RepoOwnerEnv, RepoNameEnv, PullBaseRefEnv, PullBaseSHAEnv, PullRefsEnv, SrcHostEnv, SrcBaseEnv,
	PullNumberEnv, PullPullSHAEnv, PullHeadRefEnv, PullTitleEnv,
}

// TestEnvMatchesProwsDecoratedPods rebuilds each ProwJob of Prow's
// decorate fixtures from its JOB_SPEC and checks that Env gives the test
// container's environment.
func TestEnvMatchesProwsDecoratedPods(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "test", "testdata", "prow", "pod-utils", "decorate", "TestProwJobToPod_*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want := testContainerEnv(t, f)
			var spec JobSpec
			if err := json.Unmarshal([]byte(want[JobSpecEnv]), &spec); err != nil {
				t.Fatal(err)
			}
			pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Type: spec.Type, Job: spec.Job, Refs: spec.Refs, ExtraRefs: spec.ExtraRefs, DecorationConfig: spec.DecorationConfig}}
			pj.Name, pj.Status.BuildID = spec.ProwJobID, spec.BuildID
			got, err := Env(pj)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range downwardNames {
				w, inPod := want[name]
				g, inEnv := got[name]
				if inPod != inEnv {
					t.Errorf("%s: set in the pod %t, by Env %t", name, inPod, inEnv)
					continue
				}
				// prow/api/v1 orders scheduling_options after fs_group,
				// Prow before run_as_user: the same JSON, other bytes.
				if name == JobSpecEnv && strings.Contains(w, `"scheduling_options"`) {
					assertSameJSON(t, g, w)
					continue
				}
				if g != w {
					t.Errorf("%s = %q, want %q", name, g, w)
				}
			}
		})
	}
}

func testContainerEnv(t *testing.T, file string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var pod corev1.Pod
	if err := yaml.Unmarshal(data, &pod); err != nil {
		t.Fatal(err)
	}
	for _, c := range pod.Spec.Containers {
		if c.Name != "test" && !strings.HasPrefix(c.Name, "test-") { // test-0, test-1 with several containers
			continue
		}
		env := map[string]string{}
		for _, e := range c.Env {
			env[e.Name] = e.Value
		}
		return env
	}
	t.Fatalf("%s has no test container", file)
	return nil
}

func assertSameJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("JOB_SPEC %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JOB_SPEC =\n%s\nwant\n%s", got, want)
	}
}

func TestEnv(t *testing.T) {
	refs := &prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", BaseSHA: "b1"}
	pr := &prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", BaseSHA: "b1", PathAlias: "k8s.io/r",
		Pulls: []prowapi.Pull{{Number: 7, SHA: "p7", Title: "Fix it", HeadRef: "fix"}, {Number: 8, SHA: "p8", Ref: "refs/x"}}}
	for _, tc := range []struct {
		name    string
		pj      prowapi.ProwJobSpec
		want    map[string]string
		wantErr string
	}{
		{
			name: "a periodic gets only the job's variables",
			pj:   prowapi.ProwJobSpec{Type: prowapi.PeriodicJob, Job: "ci-nightly", Refs: refs},
			want: map[string]string{
				"CI": "true", "JOB_NAME": "ci-nightly", "JOB_TYPE": "periodic", "BUILD_ID": "42", "BUILD_NUMBER": "42", "PROW_JOB_ID": "uid",
				"JOB_SPEC": `{"type":"periodic","job":"ci-nightly","buildid":"42","prowjobid":"uid","refs":{"org":"o","repo":"r","base_ref":"main","base_sha":"b1"}}`,
			},
		},
		{
			name: "a postsubmit adds its repository and base",
			pj:   prowapi.ProwJobSpec{Type: prowapi.PostsubmitJob, Job: "post", Refs: refs},
			want: map[string]string{
				"CI": "true", "JOB_NAME": "post", "JOB_TYPE": "postsubmit", "BUILD_ID": "42", "BUILD_NUMBER": "42", "PROW_JOB_ID": "uid",
				"JOB_SPEC":   `{"type":"postsubmit","job":"post","buildid":"42","prowjobid":"uid","refs":{"org":"o","repo":"r","base_ref":"main","base_sha":"b1"}}`,
				"REPO_OWNER": "o", "REPO_NAME": "r", "PULL_BASE_REF": "main", "PULL_BASE_SHA": "b1", "PULL_REFS": "main:b1",
				"SRC_HOST": "github.com", "SRC_BASE": "o/r",
			},
		},
		{
			name: "a batch lists every pull request in PULL_REFS but names none",
			pj:   prowapi.ProwJobSpec{Type: prowapi.BatchJob, Job: "batch", Refs: pr},
			want: map[string]string{
				"CI": "true", "JOB_NAME": "batch", "JOB_TYPE": "batch", "BUILD_ID": "42", "BUILD_NUMBER": "42", "PROW_JOB_ID": "uid",
				"JOB_SPEC":   `{"type":"batch","job":"batch","buildid":"42","prowjobid":"uid","refs":{"org":"o","repo":"r","base_ref":"main","base_sha":"b1","pulls":[{"number":7,"author":"","sha":"p7","title":"Fix it","head_ref":"fix"},{"number":8,"author":"","sha":"p8","ref":"refs/x"}],"path_alias":"k8s.io/r"}}`,
				"REPO_OWNER": "o", "REPO_NAME": "r", "PULL_BASE_REF": "main", "PULL_BASE_SHA": "b1", "PULL_REFS": "main:b1,7:p7,8:p8:refs/x",
				"SRC_HOST": "k8s.io", "SRC_BASE": "r",
			},
		},
		{
			name: "a presubmit names its first pull request",
			pj:   prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull", Refs: pr},
			want: map[string]string{
				"CI": "true", "JOB_NAME": "pull", "JOB_TYPE": "presubmit", "BUILD_ID": "42", "BUILD_NUMBER": "42", "PROW_JOB_ID": "uid",
				"JOB_SPEC":   `{"type":"presubmit","job":"pull","buildid":"42","prowjobid":"uid","refs":{"org":"o","repo":"r","base_ref":"main","base_sha":"b1","pulls":[{"number":7,"author":"","sha":"p7","title":"Fix it","head_ref":"fix"},{"number":8,"author":"","sha":"p8","ref":"refs/x"}],"path_alias":"k8s.io/r"}}`,
				"REPO_OWNER": "o", "REPO_NAME": "r", "PULL_BASE_REF": "main", "PULL_BASE_SHA": "b1", "PULL_REFS": "main:b1,7:p7,8:p8:refs/x",
				"SRC_HOST": "k8s.io", "SRC_BASE": "r",
				"PULL_NUMBER": "7", "PULL_PULL_SHA": "p7", "PULL_HEAD_REF": "fix", "PULL_TITLE": "Fix it",
			},
		},
		{
			name:    "a postsubmit without refs is an error",
			pj:      prowapi.ProwJobSpec{Type: prowapi.PostsubmitJob, Job: "post"},
			wantErr: "postsubmit job post has no refs",
		},
		{
			name:    "a presubmit without a pull request is an error",
			pj:      prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull", Refs: refs},
			wantErr: "presubmit pull of o/r has no pull request",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pj := &prowapi.ProwJob{Spec: tc.pj}
			pj.Name, pj.Status.BuildID = "uid", "42"
			got, err := Env(pj)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Env =\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}
