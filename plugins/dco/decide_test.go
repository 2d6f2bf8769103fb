package dco

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

func TestSignedOff(t *testing.T) {
	for _, tc := range []struct {
		name, message string
		want          bool
	}{
		{"a trailer line", "Fix it\n\nSigned-off-by: Bob <bob@example.com>", true},
		{"any case", "Fix it\n\nsigned-off-by: Bob <bob@example.com>", true},
		{"no trailer", "Fix it", false},
		{"mentioned mid-line does not count", "Fix it: add a Signed-off-by: line check", false},
		{"indented does not count", "Fix it\n\n  Signed-off-by: Bob", false},
		{"the subject itself may be the line", "Signed-off-by: Bob", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SignedOff(tc.message); got != tc.want {
				t.Errorf("SignedOff(%q) = %v, want %v", tc.message, got, tc.want)
			}
		})
	}
}

func TestUnsigned(t *testing.T) {
	signed := github.PullRequestCommit{SHA: "s", Message: "a\n\nSigned-off-by: Bob <b@x>", Author: "bob"}
	bob := github.PullRequestCommit{SHA: "b", Message: "b", Author: "bob"}
	carol := github.PullRequestCommit{SHA: "c", Message: "c", Author: "Carol"}
	ghost := github.PullRequestCommit{SHA: "g", Message: "g"}
	for _, tc := range []struct {
		name    string
		commits []github.PullRequestCommit
		exempt  map[string]bool
		want    []string
	}{
		{"every commit signed off", []github.PullRequestCommit{signed}, nil, nil},
		{"unsigned commits listed in order", []github.PullRequestCommit{carol, signed, bob}, nil, []string{"c", "b"}},
		{"an exempt author's commits pass", []github.PullRequestCommit{carol, bob}, map[string]bool{"carol": true}, []string{"b"}},
		{"an author GitHub cannot name is never exempt", []github.PullRequestCommit{ghost}, map[string]bool{"": true}, []string{"g"}},
		{"an author found not exempt still needs it", []github.PullRequestCommit{bob}, map[string]bool{"bob": false}, []string{"b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range Unsigned(tc.commits, tc.exempt) {
				got = append(got, c.SHA)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Unsigned = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	const guide = "https://github.com/demo/hello/blob/master/CONTRIBUTING.md"
	ok := github.Status{Context: Context, State: "success", Description: DescSuccess, TargetURL: guide}
	bad := github.Status{Context: Context, State: "failure", Description: DescFailure, TargetURL: guide}
	for _, tc := range []struct {
		name     string
		unsigned int
		labels   []string
		current  github.Status
		want     Plan
	}{
		{"a fresh signed-off pull request gets the yes label and success", 0, nil, github.Status{},
			Plan{AddLabel: LabelYes, Status: &ok}},
		{"a fresh unsigned pull request gets the no label, failure and the comment", 2, []string{"lgtm"}, github.Status{},
			Plan{AddLabel: LabelNo, Status: &bad, Notify: true}},
		{"signing off swaps no for yes and drops the comment", 0, []string{LabelNo}, bad,
			Plan{AddLabel: LabelYes, RemoveLabel: LabelNo, Status: &ok}},
		{"a new unsigned commit swaps yes for no", 1, []string{LabelYes}, ok,
			Plan{AddLabel: LabelNo, RemoveLabel: LabelYes, Status: &bad, Notify: true}},
		{"nothing to write when label and status are right", 0, []string{"dco-signoff: YES"}, ok, Plan{}},
		{"an unsigned pull request in order keeps its comment", 1, []string{LabelNo}, bad, Plan{Notify: true}},
		{"both labels: the wrong one goes", 0, []string{LabelYes, LabelNo}, ok, Plan{RemoveLabel: LabelNo}},
		{"a status pointing elsewhere is rewritten", 0, []string{LabelYes}, github.Status{Context: Context, State: "success", Description: DescSuccess},
			Plan{Status: &ok}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.unsigned, tc.labels, tc.current, guide); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestGuideURL(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  pluginconfig.DCO
		want string
	}{
		{"defaults to the repository's CONTRIBUTING.md", pluginconfig.DCO{}, "https://github.com/demo/hello/blob/master/CONTRIBUTING.md"},
		{"another repository, branch and path", pluginconfig.DCO{ContributingRepo: "kubernetes/community", ContributingBranch: "main", ContributingPath: "/contributors/guide/README.md"},
			"https://github.com/kubernetes/community/blob/main/contributors/guide/README.md"},
		{"only the path", pluginconfig.DCO{ContributingPath: "docs/CONTRIBUTING.md"}, "https://github.com/demo/hello/blob/master/docs/CONTRIBUTING.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := GuideURL(tc.cfg, "demo", "hello"); got != tc.want {
				t.Errorf("GuideURL = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestTrustedApp(t *testing.T) {
	for _, tc := range []struct {
		name  string
		login string
		want  bool
	}{
		{"a listed app", "dependabot[bot]", true},
		{"listed in another case", "Renovate[bot]", true},
		{"an app not listed", "other[bot]", false},
		{"a user named like an app", "dependabot", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := TrustedApp([]string{"dependabot", "renovate"}, tc.login); got != tc.want {
				t.Errorf("TrustedApp(%s) = %v, want %v", tc.login, got, tc.want)
			}
		})
	}
}

func TestNotice(t *testing.T) {
	n := Notice("bob", []github.PullRequestCommit{{SHA: "0123456789abcdef", Message: "Fix the frobnicator\n\nDetails."}}, "https://example.com/guide")
	for _, want := range []string{Marker, "@bob:", "- 0123456 Fix the frobnicator\n", "https://example.com/guide", "/check-dco", "git rebase --signoff"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice lacks %q:\n%s", want, n)
		}
	}
	if strings.Contains(n, "Details.") {
		t.Errorf("notice quotes more than the subject:\n%s", n)
	}
}
