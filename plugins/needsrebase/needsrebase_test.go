package needsrebase

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

func TestDecide(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name      string
		mergeable *bool
		hasLabel  bool
		want      Action
	}{
		{"conflicting and unlabeled: mark", &no, false, Mark},
		{"conflicting and labeled: keep", &no, true, Keep},
		{"mergeable and labeled: clear", &yes, true, Clear},
		{"mergeable and unlabeled: keep", &yes, false, Keep},
		{"unknown and labeled: keep until GitHub knows", nil, true, Keep},
		{"unknown and unlabeled: keep until GitHub knows", nil, false, Keep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.mergeable, tc.hasLabel); got != tc.want {
				t.Errorf("Decide = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNotice(t *testing.T) {
	n := Notice("bob")
	for _, want := range []string{Marker, "@bob: " + Message, "<details>", "`" + Label + "`"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice lacks %q:\n%s", want, n)
		}
	}
	harness.CheckIsNotice(t, IsNotice, n,
		harness.NoticeCase{Name: "Prow's unmarked wording from another bot", Comment: github.IssueComment{User: "other-bot", Body: "PR needs rebase."}})
}
