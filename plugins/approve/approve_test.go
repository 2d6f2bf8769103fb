package approve

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/prowbot/prow/prow/owners"
)

func at(min int) time.Time { return time.Date(2026, 1, 1, 0, min, 0, 0, time.UTC) }

func TestApprovers(t *testing.T) {
	cases := []struct {
		name  string
		votes []Vote
		s     Settings
		want  []string
	}{
		{"the author approves implicitly", nil, Settings{}, []string{"author"}},
		{"unless self approval is required", nil, Settings{RequireSelfApproval: true}, nil},
		{"approve then cancel", []Vote{{User: "A", Body: "/approve", At: at(1)}, {User: "a", Body: "/approve cancel", At: at(2)}}, Settings{RequireSelfApproval: true}, nil},
		{"order is by time, not by list", []Vote{{User: "a", Body: "/approve", At: at(2)}, {User: "a", Body: "/remove-approve", At: at(1)}}, Settings{RequireSelfApproval: true}, []string{"a"}},
		{"reviews count", []Vote{{User: "r", Review: "APPROVED", At: at(1)}, {User: "x", Review: "APPROVED", At: at(1)}, {User: "x", Review: "CHANGES_REQUESTED", At: at(2)}}, Settings{RequireSelfApproval: true}, []string{"r"}},
		{"unless review state is ignored", []Vote{{User: "r", Review: "APPROVED", At: at(1)}}, Settings{RequireSelfApproval: true, IgnoreReviewState: true}, nil},
		{"lgtm counts when configured", []Vote{{User: "l", Body: "/lgtm", At: at(1)}}, Settings{RequireSelfApproval: true, LgtmActsAsApprove: true}, []string{"l"}},
		{"lgtm does not count otherwise", []Vote{{User: "l", Body: "/lgtm", At: at(1)}}, Settings{RequireSelfApproval: true}, nil},
		{"the bot's comments are ignored", []Vote{{User: "bot", Body: "/approve", FromBot: true, At: at(1)}}, Settings{RequireSelfApproval: true}, nil},
		{"a quoted approve is not one", []Vote{{User: "q", Body: "> /approve", At: at(1)}}, Settings{RequireSelfApproval: true}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Approvers(tc.votes, "Author", tc.s)
			var names []string
			for n := range got {
				names = append(names, n)
			}
			sort.Strings(names)
			if !reflect.DeepEqual(names, tc.want) && (len(names) != 0 || len(tc.want) != 0) {
				t.Errorf("approvers %v, want %v", names, tc.want)
			}
		})
	}
}

func repoOwners(t *testing.T) *owners.RepoOwners {
	t.Helper()
	ro, err := owners.Load(fstest.MapFS{
		"OWNERS":     {Data: []byte("approvers: [root]\n")},
		"api/OWNERS": {Data: []byte("approvers: [alice]\n")},
	}, owners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ro
}

func TestEvaluate(t *testing.T) {
	ro := repoOwners(t)
	files := []string{"api/types.go", "README.md"}
	cases := []struct {
		name      string
		approvers []string
		approved  bool
		suggested []string
	}{
		{"nobody", nil, false, []string{"alice", "root"}},
		{"only api", []string{"alice"}, false, []string{"root"}},
		{"root approves everything below it", []string{"root"}, true, nil},
		{"both", []string{"alice", "root"}, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set := map[string]bool{}
			for _, a := range tc.approvers {
				set[a] = true
			}
			st := Evaluate(ro, files, set, nil)
			if st.Approved != tc.approved || !reflect.DeepEqual(st.Suggested, tc.suggested) {
				t.Errorf("approved %v suggested %v; want %v %v", st.Approved, st.Suggested, tc.approved, tc.suggested)
			}
		})
	}
	if st := Evaluate(ro, nil, map[string]bool{"root": true}, nil); st.Approved {
		t.Error("a pull request without files is not approved")
	}
}

func TestNotification(t *testing.T) {
	st := Evaluate(repoOwners(t), []string{"api/types.go", "README.md"}, map[string]bool{"alice": true}, nil)
	got := Notification("demo", "hello", st, "https://prow.example/command-help")
	for _, want := range []string{
		"[APPROVALNOTIFIER] This PR is **NOT APPROVED**",
		"This pull-request has been approved by: *alice*",
		"ask *root* to approve",
		"[here](https://prow.example/command-help?repo=demo%2Fhello)",
		"- **OWNERS**",
		"- ~~api/OWNERS~~ [alice]",
		`<!-- META={"approvers":["root"]} -->`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("notification lacks %q:\n%s", want, got)
		}
	}
}
