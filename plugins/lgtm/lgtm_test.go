package lgtm

import (
	"testing"

	"github.com/prowbot/prow/plugins"
)

func TestDecide(t *testing.T) {
	inv := func(name, args string) []plugins.Invocation { return []plugins.Invocation{{Name: name, Args: args}} }
	cases := []struct {
		name         string
		commenter    string
		collaborator bool
		has          bool
		invs         []plugins.Invocation
		want         Outcome
	}{
		{"a collaborator's lgtm adds and assigns", "rev", true, false, inv("lgtm", ""), Outcome{Add: true, Assign: true}},
		{"lgtm no-issue counts too", "rev", true, false, inv("lgtm", "no-issue"), Outcome{Add: true, Assign: true}},
		{"lgtm when present only assigns", "rev", true, true, inv("lgtm", ""), Outcome{Assign: true}},
		{"the author cannot lgtm", "author", true, false, inv("lgtm", ""), Outcome{Reply: "you cannot LGTM your own PR."}},
		{"the author may cancel", "author", false, true, inv("lgtm", "cancel"), Outcome{Remove: true}},
		{"a stranger is refused", "stranger", false, false, inv("lgtm", ""), Outcome{Reply: "changing LGTM is restricted to collaborators"}},
		{"a stranger cannot cancel", "stranger", false, true, inv("remove-lgtm", ""), Outcome{Reply: "changing LGTM is restricted to collaborators"}},
		{"remove-lgtm removes", "rev", true, true, inv("remove-lgtm", ""), Outcome{Remove: true}},
		{"cancel without the label does nothing", "rev", true, false, inv("lgtm", "cancel"), Outcome{}},
		{"the last command wins", "rev", true, false, []plugins.Invocation{{Name: "lgtm", Args: "cancel"}, {Name: "lgtm"}}, Outcome{Add: true, Assign: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.commenter, "author", tc.collaborator, tc.has, tc.invs); got != tc.want {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}
