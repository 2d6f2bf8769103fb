package skip

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github"
)

func TestToSkip(t *testing.T) {
	optional := map[string]bool{"optional-e2e": true, "optional-lint": true, "optional-bench": true, "optional-build": true}
	cases := []struct {
		name     string
		statuses []github.Status
		checks   []github.CheckRun
		want     []github.Status
		wantRuns []github.CheckRun
	}{
		{
			name: "failed and errored optional statuses are skipped; required, passing and unknown ones left",
			statuses: []github.Status{
				{Context: "optional-e2e", State: "failure", TargetURL: "u1"},
				{Context: "optional-lint", State: "success"},
				{Context: "required-unit", State: "failure"},
				{Context: "optional-bench", State: "error"},
				{Context: "external", State: "failure"},
			},
			want: []github.Status{
				{Context: "optional-e2e", State: "success", Description: "Skipped", TargetURL: "u1"},
				{Context: "optional-bench", State: "success", Description: "Skipped"},
			},
		},
		{
			name:     "only a context's newest status counts",
			statuses: []github.Status{{Context: "optional-e2e", State: "success"}, {Context: "optional-e2e", State: "failure"}},
		},
		{
			name: "a failed optional check run gets a skipped one; a passing, running or required one is left",
			checks: []github.CheckRun{
				{Name: "optional-build", Status: "completed", Conclusion: "timed_out", DetailsURL: "d"},
				{Name: "optional-lint", Status: "in_progress"},
				{Name: "required-unit", Status: "completed", Conclusion: "failure"},
				{Name: "optional-e2e", Status: "completed", Conclusion: "failure"},
			},
			statuses: []github.Status{{Context: "optional-e2e", State: "success"}},
			wantRuns: []github.CheckRun{{Name: "optional-build", HeadSHA: "sha", Status: "completed", Conclusion: "skipped",
				DetailsURL: "d", Title: "Skipped", Summary: "An optional job, skipped with /skip."}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, gotRuns := ToSkip(tc.statuses, tc.checks, optional, "sha")
			if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(gotRuns, tc.wantRuns) {
				t.Errorf("ToSkip = %+v, %+v\nwant %+v, %+v", got, gotRuns, tc.want, tc.wantRuns)
			}
		})
	}
}
