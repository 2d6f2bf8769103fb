package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// fullJob sets every field a job record carries.
func fullJob(name string) *prowapi.ProwJob {
	pending, done := at(1), at(42)
	pending.Time = pending.Add(987654321)
	done.Time = done.Add(1)
	yes, secret := true, "gcs-creds"
	return &prowapi.ProwJob{
		TypeMeta: metav1.TypeMeta{Kind: "ProwJob", APIVersion: "prow.k8s.io/v1"},
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Labels:      map[string]string{prowapi.ProwJobTypeLabel: "presubmit", prowapi.OrgLabel: "kubernetes", "created-by-prow": "true"},
			Annotations: map[string]string{prowapi.ProwJobAnnotation: "pull-unit", "note": "line one\nline two ✓"},
		},
		Spec: prowapi.ProwJobSpec{
			Type: prowapi.PresubmitJob, Agent: prowapi.KubernetesAgent, Cluster: "build01", Namespace: "test-pods",
			Job: "pull-unit",
			Refs: &prowapi.Refs{Org: "kubernetes", Repo: "test-infra", RepoLink: "https://github.com/kubernetes/test-infra",
				BaseRef: "master", BaseSHA: "1b2c3d", PathAlias: "k8s.io/test-infra", CloneDepth: 1, BloblessFetch: &yes,
				Pulls: []prowapi.Pull{
					{Number: 123, Author: "alice", SHA: "abc123", Title: "Fix the \"thing\"", Ref: "refs/pull/123/head", HeadRef: "fix", Link: "https://github.com/kubernetes/test-infra/pull/123"},
					{Number: 124, Author: "bob", SHA: "def456"},
				},
				SparseCheckoutFiles: []string{"a/", "b/c"}},
			ExtraRefs: []prowapi.Refs{{Org: "kubernetes", Repo: "kubernetes", BaseRef: "main", WorkDir: true}},
			Report:    true, Context: "pull-unit", RerunCommand: "/test pull-unit", MaxConcurrency: 7, ErrorOnEviction: true,
			PodSpec: &corev1.PodSpec{Containers: []corev1.Container{{
				Name: "test", Image: "golang:1.26", Command: []string{"make"}, Args: []string{"test", "-j2"},
				Env:       []corev1.EnvVar{{Name: "GOFLAGS", Value: "-mod=readonly"}},
				Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")}},
			}}},
			PipelineRunSpec: &apiextensionsv1.JSON{Raw: []byte(`{"params":[{"name":"x","value":"y"}]}`)},
			DecorationConfig: &prowapi.DecorationConfig{
				Timeout: prowapi.NewDuration(2 * time.Hour), GracePeriod: prowapi.NewDuration(15 * time.Second),
				UtilityImages:        &prowapi.UtilityImages{CloneRefs: "clonerefs:v1", InitUpload: "initupload:v1", Entrypoint: "entrypoint:v1", Sidecar: "sidecar:v1"},
				GCSConfiguration:     &prowapi.GCSConfiguration{Bucket: "logs", PathStrategy: prowapi.PathStrategyExplicit, MediaTypes: map[string]string{"log": "text/plain"}},
				GCSCredentialsSecret: &secret, SSHKeySecrets: []string{"ssh-a"}, CensorSecrets: &yes,
			},
			ReporterConfig:  &prowapi.ReporterConfig{Slack: &prowapi.SlackReporterConfig{Channel: "#ci", JobStatesToReport: []prowapi.ProwJobState{prowapi.FailureState}}},
			RerunAuthConfig: &prowapi.RerunAuthConfig{GitHubUsers: []string{"alice"}, GitHubTeamIDs: []int{42}},
			Hidden:          true, JobQueueName: "gpu",
			ProwJobDefault: &prowapi.ProwJobDefault{TenantID: "tenant"},
		},
		Status: prowapi.ProwJobStatus{
			StartTime: at(0), PendingTime: &pending, CompletionTime: &done,
			State: prowapi.FailureState, Description: "Job failed.", URL: "https://prow.example/view/123",
			PodRevivalCount: 2, PodName: "pod-123", BuildID: "1700000000000000001", JenkinsBuildID: "9",
			PrevReportStates: map[string]prowapi.ProwJobState{"github-reporter": prowapi.PendingState, "slack": prowapi.FailureState},
		},
	}
}

func (s suite) testRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		pj   *prowapi.ProwJob
	}{
		{"a job with every field set", fullJob("full")},
		{"a bare job without refs or a start time", &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Name: "bare"}}},
		{"a periodic", job("periodic", nil, "nightly", prowapi.PeriodicJob, prowapi.TriggeredState, at(3))},
		{"a batch of three pulls", job("batch", refs("o", "r", pr(1, "a"), pr(2, "b"), pr(3, "c")), "unit", prowapi.BatchJob, prowapi.PendingState, at(4))},
		{"a start time before 1970", job("old", nil, "old", prowapi.PeriodicJob, prowapi.SuccessState, metav1.NewTime(time.Date(1969, 7, 20, 20, 17, 40, 5, time.UTC)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := s.newStore(t)
			created, err := st.Create(t.Context(), tc.pj)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if created.ResourceVersion == "" {
				t.Error("create set no resource version")
			}
			s.sameJob(t, tc.pj, created)
			got, err := st.Get(t.Context(), tc.pj.Name)
			if err != nil {
				t.Fatalf("get: %v", err)
			}
			s.sameJob(t, tc.pj, got)
			if got.ResourceVersion != created.ResourceVersion {
				t.Errorf("get resource version %q, create returned %q", got.ResourceVersion, created.ResourceVersion)
			}
			l, err := st.List(t.Context(), jobs.Filter{}, jobs.Page{})
			if err != nil || len(l.Items) != 1 {
				t.Fatalf("list = %v, %v; want the one job", l, err)
			}
			s.sameJob(t, tc.pj, &l.Items[0])
		})
	}
}

func (s suite) testCopies(t *testing.T) {
	st := s.newStore(t)
	in := fullJob("copied")
	out, err := st.Create(t.Context(), in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	in.Status.State, in.Labels["x"], in.Spec.Refs.Pulls[0].Author = prowapi.AbortedState, "y", "mallory"
	out.Status.State, out.Labels["x"], out.Spec.Refs.Pulls[0].Author = prowapi.ErrorState, "z", "eve"
	got, err := st.Get(t.Context(), "copied")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	got.Status.PrevReportStates["mutated"] = prowapi.ErrorState
	again, err := st.Get(t.Context(), "copied")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	s.sameJob(t, fullJob("copied"), again)
}

func (s suite) testErrors(t *testing.T) {
	st := s.newStore(t)
	ctx := t.Context()
	stored := mustCreate(t, st, job("there", nil, "j", prowapi.PeriodicJob, prowapi.TriggeredState, at(1)),
		job("gone", nil, "j", prowapi.PeriodicJob, prowapi.TriggeredState, at(2)))
	if err := st.Delete(ctx, "gone"); err != nil {
		t.Fatalf("delete gone: %v", err)
	}
	stale := stored["there"].DeepCopy()
	stored["there"].Status.Description = "changed"
	if _, err := st.Update(ctx, stored["there"]); err != nil {
		t.Fatalf("update there: %v", err)
	}
	missing := job("missing", nil, "j", prowapi.PeriodicJob, prowapi.TriggeredState, at(1))
	missing.ResourceVersion = stale.ResourceVersion
	for _, tc := range []struct {
		name, job string
		op        func() error
		want      error
	}{
		{"creating a duplicate name", "there", func() error {
			_, err := st.Create(ctx, job("there", nil, "other", prowapi.PeriodicJob, prowapi.TriggeredState, at(5)))
			return err
		}, jobs.ErrExists},
		{"getting a missing job", "missing", func() error { _, err := st.Get(ctx, "missing"); return err }, jobs.ErrNotFound},
		{"getting a deleted job", "gone", func() error { _, err := st.Get(ctx, "gone"); return err }, jobs.ErrNotFound},
		{"updating a missing job", "missing", func() error { _, err := st.Update(ctx, missing); return err }, jobs.ErrNotFound},
		{"updating a stale copy", "there", func() error { _, err := st.Update(ctx, stale); return err }, jobs.ErrConflict},
		{"updating without a resource version", "there", func() error {
			c := stale.DeepCopy()
			c.ResourceVersion = ""
			_, err := st.Update(ctx, c)
			return err
		}, jobs.ErrConflict},
		{"updating with a garbage resource version", "there", func() error {
			c := stale.DeepCopy()
			c.ResourceVersion = "not-a-version"
			_, err := st.Update(ctx, c)
			return err
		}, jobs.ErrConflict},
		{"deleting a missing job", "missing", func() error { return st.Delete(ctx, "missing") }, jobs.ErrNotFound},
		{"deleting a deleted job", "gone", func() error { return st.Delete(ctx, "gone") }, jobs.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.op()
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.job) {
				t.Errorf("error %q does not name job %s", err, tc.job)
			}
		})
	}
	t.Run("a deleted name can be created again", func(t *testing.T) {
		if _, err := st.Create(ctx, job("gone", nil, "j", prowapi.PeriodicJob, prowapi.TriggeredState, at(3))); err != nil {
			t.Fatalf("create gone again: %v", err)
		}
	})
	t.Run("a failed create changes nothing", func(t *testing.T) {
		got, err := st.Get(ctx, "there")
		if err != nil || got.Spec.Job != "j" {
			t.Errorf("get there = %+v, %v; want the first job", got, err)
		}
	})
}

func (s suite) testUpdate(t *testing.T) {
	st := s.newStore(t)
	ctx := t.Context()
	v1 := mustCreate(t, st, fullJob("u"))["u"]
	seen := map[string]bool{v1.ResourceVersion: true}
	cur := v1
	for i, state := range []prowapi.ProwJobState{prowapi.PendingState, prowapi.SuccessState, prowapi.SuccessState} {
		next := cur.DeepCopy()
		next.Status.State = state
		next.Status.Description = "step " + string(rune('a'+i))
		next.Status.PrevReportStates["github-reporter"] = state
		next.Labels["step"] = string(rune('a' + i))
		got, err := st.Update(ctx, next)
		if err != nil {
			t.Fatalf("update %d: %v", i, err)
		}
		if seen[got.ResourceVersion] {
			t.Errorf("update %d reused resource version %q", i, got.ResourceVersion)
		}
		seen[got.ResourceVersion] = true
		s.sameJob(t, next, got)
		stored, err := st.Get(ctx, "u")
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		s.sameJob(t, next, stored)
		if stored.ResourceVersion != got.ResourceVersion {
			t.Errorf("get resource version %q, update returned %q", stored.ResourceVersion, got.ResourceVersion)
		}
		cur = got
	}
	// An update that changes nothing need not bump the version, but the
	// version it returns is the one to write with next.
	same, err := st.Update(ctx, cur.DeepCopy())
	if err != nil {
		t.Fatalf("an update that changes nothing: %v", err)
	}
	s.sameJob(t, cur, same)
	next := same.DeepCopy()
	next.Status.Description = "after the unchanged update"
	if cur, err = st.Update(ctx, next); err != nil {
		t.Fatalf("update with the version an unchanged update returned: %v", err)
	}
	stale := v1.DeepCopy()
	stale.Status.State = prowapi.AbortedState
	if _, err := st.Update(ctx, stale); !errors.Is(err, jobs.ErrConflict) {
		t.Fatalf("a stale update: %v, want a conflict", err)
	}
	if got, _ := st.Get(ctx, "u"); got.Status.State != prowapi.SuccessState || got.ResourceVersion != cur.ResourceVersion {
		t.Errorf("a conflicting update changed the job: %s at %s", got.Status.State, got.ResourceVersion)
	}
}
