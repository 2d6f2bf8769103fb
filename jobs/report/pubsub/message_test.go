package pubsub

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestWhichJobsArePublished(t *testing.T) {
	cases := []struct {
		name        string
		labels      map[string]string
		annotations map[string]string
		want        bool
	}{
		{"project and topic labels", map[string]string{ProjectLabel: "p", TopicLabel: "t"}, nil, true},
		{"project and topic annotations", nil, map[string]string{ProjectLabel: "p", TopicLabel: "t"}, true},
		{"project label, topic annotation", map[string]string{ProjectLabel: "p"}, map[string]string{TopicLabel: "t"}, true},
		{"no topic", map[string]string{ProjectLabel: "p", RunIDLabel: "r"}, nil, false},
		{"no project", map[string]string{TopicLabel: "t"}, nil, false},
		{"empty project", map[string]string{ProjectLabel: "", TopicLabel: "t"}, nil, false},
		{"no labels at all", nil, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pj := &prowapi.ProwJob{ObjectMeta: metav1.ObjectMeta{Labels: tc.labels, Annotations: tc.annotations}}
			if got := Wants(pj); got != tc.want {
				t.Errorf("Wants = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMessageHasProwsFields(t *testing.T) {
	decorated := &prowapi.DecorationConfig{GCSConfiguration: &prowapi.GCSConfiguration{Bucket: "bucket", PathStrategy: "explicit"}}
	cases := []struct {
		name string
		pj   prowapi.ProwJob
		want Message
	}{{
		name: "a finished presubmit with extra refs and a bucket",
		pj: prowapi.ProwJob{
			ObjectMeta: metav1.ObjectMeta{Name: "x",
				Labels:      map[string]string{ProjectLabel: "label-project", TopicLabel: "topic", RunIDLabel: "run-1"},
				Annotations: map[string]string{ProjectLabel: "annotated-project"}},
			Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "pull-unit", DecorationConfig: decorated,
				Refs:      &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "abc", Pulls: []prowapi.Pull{{Number: 7, SHA: "def"}}},
				ExtraRefs: []prowapi.Refs{{Org: "org", Repo: "tools", BaseRef: "main"}}},
			Status: prowapi.ProwJobStatus{State: prowapi.FailureState, Description: "Job failed.", BuildID: "42",
				URL: "https://prow.example/view/gs/bucket/pr-logs/pull/org_repo/7/pull-unit/42"},
		},
		want: Message{Project: "annotated-project", Topic: "topic", RunID: "run-1", Status: prowapi.FailureState,
			URL: "https://prow.example/view/gs/bucket/pr-logs/pull/org_repo/7/pull-unit/42", GCSPath: "gs://bucket/pr-logs/pull/org_repo/7/pull-unit/42",
			Refs: []prowapi.Refs{{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "abc", Pulls: []prowapi.Pull{{Number: 7, SHA: "def"}}},
				{Org: "org", Repo: "tools", BaseRef: "main"}},
			JobType: prowapi.PresubmitJob, JobName: "pull-unit", Message: "Job failed."},
	}, {
		name: "a periodic not started yet has no refs and no path",
		pj: prowapi.ProwJob{
			ObjectMeta: metav1.ObjectMeta{Name: "y", Labels: map[string]string{ProjectLabel: "p", TopicLabel: "t"}},
			Spec:       prowapi.ProwJobSpec{Type: prowapi.PeriodicJob, Job: "ci-nightly", DecorationConfig: decorated},
			Status:     prowapi.ProwJobStatus{State: prowapi.TriggeredState},
		},
		want: Message{Project: "p", Topic: "t", Status: prowapi.TriggeredState, JobType: prowapi.PeriodicJob, JobName: "ci-nightly"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MessageOf(&tc.pj); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("MessageOf =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

// TestMessageJSONKeysAreProws: subscribers written for Prow read these
// exact keys.
func TestMessageJSONKeysAreProws(t *testing.T) {
	data, err := json.Marshal(Message{Refs: []prowapi.Refs{{Org: "o"}}})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"gcs_path", "job_name", "job_type", "message", "project", "refs", "runid", "status", "topic", "url"}
	if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}
