package blunderbuss

import (
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/owners"
)

func TestPick(t *testing.T) {
	ro, err := owners.Load(fstest.MapFS{
		"OWNERS":     {Data: []byte("approvers: [root-approver]\nreviewers: [root-rev]\n")},
		"api/OWNERS": {Data: []byte("approvers: [api-approver]\nreviewers: [api-rev, author]\n")},
		"ui/OWNERS":  {Data: []byte("reviewers: [ui-rev]\n")},
	}, owners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	changes := []github.PullRequestChange{
		{Filename: "api/types.go", Additions: 200},
		{Filename: "ui/page.js", Additions: 5},
		{Filename: "README.md", Additions: 1},
	}
	cases := []struct {
		name    string
		count   int
		skip    []string
		exclude bool
		want    []string
	}{
		{"the heaviest reviewers first; root reviews everything", 2, nil, false, []string{"root-rev", "api-rev"}},
		{"three", 3, nil, false, []string{"root-rev", "api-rev", "ui-rev"}},
		{"already requested are skipped", 2, []string{"root-rev"}, false, []string{"api-rev", "ui-rev"}},
		{"approvers fill in when reviewers run short", 5, nil, false, []string{"root-rev", "api-rev", "ui-rev", "root-approver", "api-approver"}},
		{"unless approvers are excluded", 5, nil, true, []string{"root-rev", "api-rev", "ui-rev"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Pick(ro, changes, "author", tc.skip, tc.count, tc.exclude); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Pick = %v, want %v", got, tc.want)
			}
		})
	}
}
