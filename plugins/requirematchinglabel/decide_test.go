package requirematchinglabel

import (
	"testing"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
)

type rml = pluginconfig.RequireMatchingLabel

func TestApplies(t *testing.T) {
	pr := func(repo, branch string) Target { return Target{Org: "k8s", Repo: repo, IsPR: true, Branch: branch} }
	issue := func(repo string) Target { return Target{Org: "k8s", Repo: repo} }
	cases := []struct {
		name string
		cfg  rml
		t    Target
		want bool
	}{
		{"an org entry covers its repos' pull requests", rml{Org: "k8s", PRs: true}, pr("k", "main"), true},
		{"another org is not covered", rml{Org: "other", PRs: true}, pr("k", "main"), false},
		{"a repo entry covers that repo", rml{Org: "k8s", Repo: "k", Issues: true}, issue("k"), true},
		{"a repo entry does not cover another repo", rml{Org: "k8s", Repo: "k", Issues: true}, issue("j"), false},
		{"a prs-only entry ignores issues", rml{Org: "k8s", PRs: true}, issue("k"), false},
		{"an issues-only entry ignores pull requests", rml{Org: "k8s", Issues: true}, pr("k", "main"), false},
		{"a branch entry covers that branch", rml{Org: "k8s", PRs: true, Branch: "main"}, pr("k", "main"), true},
		{"a branch name is matched whole", rml{Org: "k8s", PRs: true, Branch: "main"}, pr("k", "main-old"), false},
		{"a branch regexp matches", rml{Org: "k8s", PRs: true, Branch: `release-\d+\.\d+`}, pr("k", "release-1.30"), true},
		{"a branch entry still covers issues", rml{Org: "k8s", Issues: true, Branch: "main"}, issue("k"), true},
		{"an invalid branch regexp covers nothing", rml{Org: "k8s", PRs: true, Branch: "("}, pr("k", "main"), false},
		{"org and repo are case-insensitive", rml{Org: "K8S", Repo: "K", PRs: true}, pr("k", "main"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Applies(tc.cfg, tc.t); got != tc.want {
				t.Errorf("Applies = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	kind := rml{Regexp: `^kind/`, MissingLabel: "needs-kind"}
	cases := []struct {
		name   string
		cfg    rml
		labels []string
		want   Action
	}{
		{"no labels: add the missing label", kind, nil, AddMissing},
		{"no matching label: add it", kind, []string{"sig/node", "lgtm"}, AddMissing},
		{"missing label already there: nothing", kind, []string{"needs-kind"}, Nothing},
		{"a match and no marker: nothing", kind, []string{"kind/bug"}, Nothing},
		{"a match and the marker: remove it", kind, []string{"needs-kind", "kind/bug"}, RemoveMissing},
		{"the regexp is unanchored unless it says so", rml{Regexp: `bug`, MissingLabel: "m"}, []string{"kind/bug"}, Nothing},
		{"the missing label never satisfies the regexp", rml{Regexp: `^needs-`, MissingLabel: "needs-kind"}, []string{"needs-kind"}, Nothing},
		{"the missing label is matched case-insensitively", kind, []string{"Needs-Kind", "kind/bug"}, RemoveMissing},
		{"an invalid regexp does nothing", rml{Regexp: `(`, MissingLabel: "m"}, nil, Nothing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.cfg, tc.labels); got != tc.want {
				t.Errorf("Decide(%v) = %d, want %d", tc.labels, got, tc.want)
			}
		})
	}
}

func TestGracePeriodAndWait(t *testing.T) {
	if got := GracePeriod([]rml{{}}); got != DefaultGracePeriod {
		t.Errorf("unset grace period = %s, want the default %s", got, DefaultGracePeriod)
	}
	if got := GracePeriod([]rml{{GracePeriod: "1s"}, {GracePeriod: "30s"}}); got != 30*time.Second {
		t.Errorf("longest of 1s and 30s = %s", got)
	}
	if got := GracePeriod([]rml{{GracePeriod: "0s"}}); got != 0 {
		t.Errorf("0s = %s", got)
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		created time.Time
		grace   time.Duration
		want    time.Duration
	}{
		{"just opened: the whole period", now, 5 * time.Second, 5 * time.Second},
		{"opened 2s ago: the rest", now.Add(-2 * time.Second), 5 * time.Second, 3 * time.Second},
		{"opened long ago: no wait", now.Add(-time.Hour), 5 * time.Second, 0},
		{"unknown creation time: the whole period", time.Time{}, 5 * time.Second, 5 * time.Second},
		{"no grace period: no wait", now, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Wait(tc.created, now, tc.grace); got != tc.want {
				t.Errorf("Wait = %s, want %s", got, tc.want)
			}
		})
	}
}
