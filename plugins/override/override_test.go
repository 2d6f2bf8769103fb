package override

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/prow/github"
)

func TestPlan(t *testing.T) {
	names := Contexts(plugins.ParseCommands("/override e2e lint\n/override e2e missing"))
	if !reflect.DeepEqual(names, []string{"e2e", "lint", "missing"}) {
		t.Fatalf("Contexts = %v", names)
	}
	overrideRun := func(name, url string) github.CheckRun {
		return github.CheckRun{Name: name, HeadSHA: "sha", Status: "completed", Conclusion: "success", DetailsURL: url,
			Title: "Overridden by admin", Summary: "admin overrode the result of " + name + " with /override."}
	}
	cases := []struct {
		name     string
		statuses []github.Status
		checks   []github.CheckRun
		want     []github.Status
		wantRuns []github.CheckRun
	}{
		{
			name:     "failed and missing statuses are set to success, passing ones left",
			statuses: []github.Status{{Context: "e2e", State: "failure", TargetURL: "u"}, {Context: "lint", State: "success"}},
			want: []github.Status{
				{Context: "e2e", State: "success", Description: "Overridden by admin", TargetURL: "u"},
				{Context: "missing", State: "success", Description: "Overridden by admin"},
			},
		},
		{
			name:     "a failed check run gets a successful one, a passing one is left",
			statuses: []github.Status{{Context: "lint", State: "failure"}},
			checks: []github.CheckRun{{Name: "e2e", Status: "completed", Conclusion: "failure", DetailsURL: "d"},
				{Name: "lint", Status: "completed", Conclusion: "success"}},
			want: []github.Status{
				{Context: "lint", State: "success", Description: "Overridden by admin"},
				{Context: "missing", State: "success", Description: "Overridden by admin"},
			},
			wantRuns: []github.CheckRun{overrideRun("e2e", "d")},
		},
		{
			name: "the newest check run of a name counts",
			checks: []github.CheckRun{{Name: "e2e", Status: "in_progress"}, {Name: "e2e", Status: "completed", Conclusion: "success"},
				{Name: "lint", Status: "completed", Conclusion: "success"}, {Name: "lint", Status: "completed", Conclusion: "failure"}},
			want:     []github.Status{{Context: "missing", State: "success", Description: "Overridden by admin"}},
			wantRuns: []github.CheckRun{overrideRun("e2e", "")},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, gotRuns := Plan(names, tc.statuses, tc.checks, "sha", "admin")
			if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(gotRuns, tc.wantRuns) {
				t.Errorf("Plan = %+v, %+v\nwant %+v, %+v", got, gotRuns, tc.want, tc.wantRuns)
			}
		})
	}
}
