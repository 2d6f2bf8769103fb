package mergecommitblocker

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/test/harness"
)

func TestMergeCommits(t *testing.T) {
	for _, tc := range []struct {
		name    string
		commits []github.PullRequestCommit
		want    []string
	}{
		{"no commits", nil, nil},
		{"linear history has none", []github.PullRequestCommit{{SHA: "a", Parents: []string{"base"}}, {SHA: "b", Parents: []string{"a"}}}, nil},
		{"a commit with two parents is a merge commit", []github.PullRequestCommit{{SHA: "a", Parents: []string{"base"}}, {SHA: "m", Parents: []string{"a", "main"}}}, []string{"m"}},
		{"an octopus merge counts", []github.PullRequestCommit{{SHA: "o", Parents: []string{"x", "y", "z"}}}, []string{"o"}},
		{"every merge commit is listed in order", []github.PullRequestCommit{{SHA: "m1", Parents: []string{"a", "b"}}, {SHA: "c", Parents: []string{"m1"}}, {SHA: "m2", Parents: []string{"c", "d"}}}, []string{"m1", "m2"}},
		{"a root commit is no merge", []github.PullRequestCommit{{SHA: "r"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MergeCommits(tc.commits); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("MergeCommits = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name     string
		merges   int
		hasLabel bool
		want     Action
	}{
		{"merge commits and no label: block", 1, false, Block},
		{"merge commits and the label: keep", 2, true, Keep},
		{"no merge commits and the label: unblock", 0, true, Unblock},
		{"no merge commits and no label: keep", 0, false, Keep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.merges, tc.hasLabel); got != tc.want {
				t.Errorf("Decide(%d, %v) = %v, want %v", tc.merges, tc.hasLabel, got, tc.want)
			}
		})
	}
}

func TestNotice(t *testing.T) {
	n := Notice("bob", []string{"0123456789abcdef", "abc"})
	for _, want := range []string{Marker, "@bob:", "(0123456, abc)", "`" + Label + "`", "rebase"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice lacks %q:\n%s", want, n)
		}
	}
	harness.CheckIsNotice(t, IsNotice, n,
		harness.NoticeCase{Name: "another comment of the bot's", Comment: github.IssueComment{User: "the-bot", Body: "hello"}})
}
