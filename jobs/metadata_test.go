package jobs

import (
	"testing"
	"time"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestRevisionStartedAndBucketAddress(t *testing.T) {
	pr := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Refs: &prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", BaseSHA: "base",
		Pulls: []prowapi.Pull{{Number: 7, SHA: "head"}}}}}
	push := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Refs: &prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main", BaseSHA: "base"}}}
	unresolved := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Refs: &prowapi.Refs{Org: "o", Repo: "r", BaseRef: "main"}}}
	periodic := &prowapi.ProwJob{}
	cases := []struct {
		name             string
		pj               *prowapi.ProwJob
		revision, commit string
		pull             string
	}{
		{"a pull request: its head", pr, "head", "head", "7"},
		{"a push: the base SHA", push, "base", "base", ""},
		{"a base not resolved yet: its ref", unresolved, "", "main", ""},
		{"no refs", periodic, "", "", ""},
	}
	now := time.Unix(1700000000, 0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Revision(tc.pj); got != tc.revision {
				t.Errorf("Revision = %q, want %q", got, tc.revision)
			}
			s := StartedOf(tc.pj, now)
			if s.RepoCommit != tc.commit || s.RepoVersion != tc.commit || s.Pull != tc.pull || s.Timestamp != now.Unix() {
				t.Errorf("StartedOf = %+v, want commit %q and pull %q", s, tc.commit, tc.pull)
			}
		})
	}
	for in, want := range map[string]string{"bucket": "gs://bucket", "gs://b": "gs://b", "file:///tmp/x": "file:///tmp/x", "s3://prow-logs": "s3://prow-logs"} {
		if got := BucketAddress(in); got != want {
			t.Errorf("BucketAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
