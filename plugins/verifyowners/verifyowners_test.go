package verifyowners

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/prow/github"
)

func TestReport(t *testing.T) {
	one := Report("dev", []Invalid{{Path: "OWNERS", Reasons: []string{"A.", "B."}}}, "OWNERS")
	want := Marker + "\n@dev: 1 invalid OWNERS file\n\n- `OWNERS`: A. B.\n\nFix the file and push, or comment `/verify-owners` to check again."
	if one != want {
		t.Errorf("Report =\n%s\nwant\n%s", one, want)
	}
	two := Report("dev", []Invalid{{Path: "OWNERS", Reasons: []string{"A."}}, {Path: "OWNERS_ALIASES", Reasons: []string{"C."}}}, "OWNERS")
	want = Marker + "\n@dev: 2 invalid OWNERS files\n\n- `OWNERS`: A.\n- `OWNERS_ALIASES`: C.\n\nFix the files and push, or comment `/verify-owners` to check again."
	if two != want {
		t.Errorf("Report =\n%s\nwant\n%s", two, want)
	}
	if got := Report("dev", nil, "OWNERS"); got != "" {
		t.Errorf("Report of nothing = %q", got)
	}
}

func TestDecide(t *testing.T) {
	old := func(bodies ...string) []github.IssueComment {
		var out []github.IssueComment
		for i, b := range bodies {
			out = append(out, github.IssueComment{ID: int64(i + 1), Body: b})
		}
		return out
	}
	cases := []struct {
		name     string
		report   string
		hasLabel bool
		old      []github.IssueComment
		want     Actions
	}{
		{"invalid files label the PR and report once", "bad", false, nil, Actions{AddLabel: true, Create: "bad"}},
		{"the same report again changes nothing", "bad", true, old("bad"), Actions{}},
		{"a new report edits the old one", "worse", true, old("bad"), Actions{EditID: 1, EditBody: "worse"}},
		{"extra old reports are deleted", "bad", true, old("bad", "older"), Actions{Delete: []int64{2}}},
		{"a removed label is put back", "bad", false, old("bad"), Actions{AddLabel: true}},
		{"valid files remove the label and the reports", "", true, old("bad", "worse"), Actions{RemoveLabel: true, Delete: []int64{1, 2}}},
		{"valid files on a clean PR do nothing", "", false, nil, Actions{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.report, tc.hasLabel, tc.old); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestModified(t *testing.T) {
	changes := []github.PullRequestChange{
		{Filename: "OWNERS", Status: "modified"}, {Filename: "api/OWNERS", Status: "added"}, {Filename: "old/OWNERS", Status: "removed"},
		{Filename: "OWNERS_ALIASES", Status: "modified"}, {Filename: "docs/OWNERS_ALIASES", Status: "added"},
		{Filename: "vendor/x/y/OWNERS", Status: "added"}, {Filename: "main.go", Status: "modified"}, {Filename: "MY_OWNERS", Status: "added"},
	}
	want := []string{"OWNERS", "api/OWNERS", "OWNERS_ALIASES"}
	if got := Modified(changes, names); !reflect.DeepEqual(got, want) {
		t.Errorf("Modified = %v, want %v", got, want)
	}
	custom := Modified([]github.PullRequestChange{{Filename: "OWNERS"}, {Filename: "a/MAINTAINERS"}}, Filenames{Owners: "MAINTAINERS", Aliases: "ALIASES"})
	if !reflect.DeepEqual(custom, []string{"a/MAINTAINERS"}) {
		t.Errorf("Modified with custom names = %v", custom)
	}
}
