package labelsync

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/prow/github"
)

func TestPlan(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	past := now.Add(-time.Hour)
	future := now.Add(time.Hour)
	lbl := func(name, color, desc string, previously ...string) Label {
		l := Label{Name: name, Color: color, Description: desc}
		for _, p := range previously {
			l.Previously = append(l.Previously, Label{Name: p})
		}
		return l
	}
	expiring := func(l Label, at time.Time) Label {
		l.deleteAfter = at
		return l
	}
	gl := func(name, color, desc string) github.Label {
		return github.Label{Name: name, Color: color, Description: desc}
	}
	for _, tc := range []struct {
		name    string
		wanted  []Label
		current []github.Label
		want    []string
	}{
		{
			name:    "nothing to do when every label is as wanted, colors compared without case",
			wanted:  []Label{lbl("bug", "E11D21", "A bug")},
			current: []github.Label{gl("bug", "e11d21", "A bug")},
		},
		{
			name:   "a missing label is created with a lower-case color",
			wanted: []Label{lbl("bug", "E11D21", "A bug")},
			want:   []string{`create label "bug" (color e11d21, description "A bug")`},
		},
		{
			name:    "a different color and description are updated",
			wanted:  []Label{lbl("bug", "e11d21", "A bug")},
			current: []github.Label{gl("bug", "ededed", "")},
			want:    []string{`update label "bug": color ededed -> e11d21, description "" -> "A bug"`},
		},
		{
			name:    "a name in another case is renamed in place",
			wanted:  []Label{lbl("bug", "e11d21", "")},
			current: []github.Label{gl("Bug", "e11d21", "")},
			want:    []string{`update label "Bug": name "Bug" -> "bug"`},
		},
		{
			name:    "a previous name is renamed, keeping the label on issues",
			wanted:  []Label{lbl("kind/bug", "e11d21", "A bug", "bug", "defect")},
			current: []github.Label{gl("defect", "ededed", "A bug")},
			want:    []string{`rename label "defect" to "kind/bug": color ededed -> e11d21`},
		},
		{
			name:    "when the label and a previous name both exist, the previous name's issues move over",
			wanted:  []Label{lbl("kind/bug", "e11d21", "", "bug")},
			current: []github.Label{gl("kind/bug", "e11d21", ""), gl("BUG", "ededed", "")},
			want:    []string{`move the issues and pull requests labeled "BUG" to "kind/bug" and delete "BUG"`},
		},
		{
			name:    "the first previous name present is renamed and the others migrate into it",
			wanted:  []Label{lbl("kind/bug", "e11d21", "", "bug", "defect")},
			current: []github.Label{gl("defect", "e11d21", ""), gl("bug", "e11d21", "")},
			want: []string{`rename label "bug" to "kind/bug"`,
				`move the issues and pull requests labeled "defect" to "kind/bug" and delete "defect"`},
		},
		{
			name: "a previous name two labels share goes to the first",
			wanted: []Label{lbl("area/apps", "0052cc", "", "area/cluster-infra"),
				lbl("area/infra", "0052cc", "", "area/cluster-infra")},
			current: []github.Label{gl("area/cluster-infra", "0052cc", "")},
			want: []string{`rename label "area/cluster-infra" to "area/apps"`,
				`create label "area/infra" (color 0052cc, description "")`},
		},
		{
			name:    "a label past its deleteAfter is deleted",
			wanted:  []Label{expiring(lbl("old", "ededed", ""), past)},
			current: []github.Label{gl("OLD", "ededed", "")},
			want:    []string{`delete label "OLD"`},
		},
		{
			name:   "a label past its deleteAfter that is not there is left alone",
			wanted: []Label{expiring(lbl("old", "ededed", ""), past)},
		},
		{
			name:    "a label before its deleteAfter is still kept up to date",
			wanted:  []Label{expiring(lbl("soon", "ededed", ""), future)},
			current: []github.Label{gl("soon", "000000", "")},
			want:    []string{`update label "soon": color 000000 -> ededed`},
		},
		{
			name:    "labels the configuration does not name are left alone",
			wanted:  []Label{lbl("bug", "e11d21", "")},
			current: []github.Label{gl("bug", "e11d21", ""), gl("custom", "123456", "mine")},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range Plan(tc.wanted, tc.current, now) {
				got = append(got, a.String())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("plan:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestPlanActionsCarryTheWantedLabel(t *testing.T) {
	wanted := []Label{{Name: "kind/bug", Color: "E11D21", Description: "A bug", Previously: []Label{{Name: "bug"}}}}
	got := Plan(wanted, []github.Label{{Name: "bug", Color: "ededed"}}, time.Now())
	want := []Action{{Kind: Rename, Name: "bug", To: "kind/bug", Color: "e11d21", Description: "A bug",
		Changes: []string{"color ededed -> e11d21", `description "" -> "A bug"`}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Plan = %+v, want %+v", got, want)
	}
}
