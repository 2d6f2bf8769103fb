package label

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
)

func TestDecide(t *testing.T) {
	exist := map[string]bool{"kind/bug": true, "kind/feature": true, "area/ci": true, "needs-kind": true, "triage/accepted": true, "api-review": true}
	parse := func(body string) []plugins.Invocation { return plugins.ParseCommands(body) }
	cases := []struct {
		name   string
		body   string
		have   []string
		member bool
		want   Plan
	}{
		{"kind adds the prefixed label and drops needs-kind", "/kind bug", []string{"needs-kind"}, false,
			Plan{Add: []string{"kind/bug"}, Remove: []string{"needs-kind"}}},
		{"several values at once", "/kind bug feature", nil, false, Plan{Add: []string{"kind/bug", "kind/feature"}}},
		{"values are lower-cased", "/area CI", nil, false, Plan{Add: []string{"area/ci"}}},
		{"a label the repo lacks gets a reply", "/kind nonsense", nil, false,
			Plan{Replies: []string{"The label(s) `kind/nonsense` cannot be applied, because the repository doesn't have them."}}},
		{"removing the last kind brings back needs-kind", "/remove-kind bug", []string{"kind/bug"}, false,
			Plan{Remove: []string{"kind/bug"}, Add: []string{"needs-kind"}}},
		{"removing a label not set gets a reply", "/remove-area ci", nil, false,
			Plan{Replies: []string{"Those labels are not set on the issue: `area/ci`"}}},
		{"triage/accepted needs an org member", "/triage accepted", nil, false,
			Plan{Replies: []string{"The label `triage/accepted` cannot be applied. Only GitHub organization members can add the label."}}},
		{"an org member may accept", "/triage accepted", nil, true, Plan{Add: []string{"triage/accepted"}}},
		{"/label adds an allowed extra label", "/label api-review", nil, false, Plan{Add: []string{"api-review"}}},
		{"/label refuses others", "/label random", nil, false,
			Plan{Replies: []string{"The label(s) `random` cannot be applied. These labels are supported: `api-review`."}}},
		{"adding a label already set does nothing", "/kind bug", []string{"kind/bug"}, false, Plan{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Decide(Request{Invocations: parse(tc.body), Have: tc.have, Exist: exist, Additional: []string{"api-review"}, OrgMember: tc.member})
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}
