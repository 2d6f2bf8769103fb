package deck

import (
	"testing"

	"github.com/prowbot/prow/config"
)

func TestQueryWordsSayWhatAQuerySelects(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    config.TideQuery
		want string
	}{
		{"repos and labels", config.TideQuery{Repos: []string{"a/b", "a/c"}, Labels: []string{"lgtm", "approved"}, MissingLabels: []string{"hold"}},
			"Pull requests in a/b or a/c, with the labels lgtm and approved, without the label hold."},
		{"an org, branches, either label, author, milestone, review", config.TideQuery{Orgs: []string{"k8s"}, ExcludedRepos: []string{"k8s/x"},
			IncludedBranches: []string{"main"}, ExcludedBranches: []string{"old", "older"}, Labels: []string{"lgtm,approved"},
			MissingLabels: []string{"a", "b"}, Author: "bot", Milestone: "v1", ReviewApprovedRequired: true},
			"Pull requests in any repository of k8s, except in k8s/x, to branch main, not to branches old or older, with the label lgtm or approved, " +
				"without any of the labels a or b, by bot, in milestone v1, approved in a GitHub review."},
		{"nothing", config.TideQuery{}, "Pull requests."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := queryWords(tc.q); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
