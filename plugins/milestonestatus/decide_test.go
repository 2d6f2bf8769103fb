package milestonestatus

import (
	"reflect"
	"testing"
)

func TestDecide(t *testing.T) {
	cases := []struct {
		name       string
		statuses   []string
		configured bool
		maintainer bool
		labels     []string
		want       Decision
	}{
		{"a maintainer approves for the milestone", []string{"approved-for-milestone"}, true, true, nil, Decision{Add: []string{"status/approved-for-milestone"}}},
		{"in-progress adds its label", []string{"in-progress"}, true, true, nil, Decision{Add: []string{"status/in-progress"}}},
		{"in-review adds its label", []string{"in-review"}, true, true, nil, Decision{Add: []string{"status/in-review"}}},
		{"the statuses are not exclusive: another is added beside", []string{"in-review"}, true, true, []string{"status/in-progress"}, Decision{Add: []string{"status/in-review"}}},
		{"a label already there is not added again", []string{"in-review"}, true, true, []string{"status/in-review"}, Decision{}},
		{"several commands add each label once", []string{"in-progress", "in-review", "in-progress"}, true, true, nil, Decision{Add: []string{"status/in-progress", "status/in-review"}}},
		{"a status in capitals counts", []string{"IN-REVIEW"}, true, true, nil, Decision{Add: []string{"status/in-review"}}},
		{"an unknown status does nothing", []string{"done"}, true, true, nil, Decision{}},
		{"someone outside the team may not", []string{"in-review"}, true, false, nil, Decision{Outcome: NotAllowed}},
		{"a repository without a team says so", []string{"in-review"}, false, false, nil, Decision{Outcome: NotConfigured}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.statuses, tc.configured, tc.maintainer, tc.labels); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}
