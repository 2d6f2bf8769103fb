package report

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func TestJobStatesMapToCommitStatusStates(t *testing.T) {
	cases := []struct {
		state prowapi.ProwJobState
		want  string
	}{
		{prowapi.SchedulingState, "pending"},
		{prowapi.TriggeredState, "pending"},
		{prowapi.PendingState, "pending"},
		{prowapi.SuccessState, "success"},
		{prowapi.FailureState, "failure"},
		{prowapi.AbortedState, "failure"},
		{prowapi.ErrorState, "error"},
	}
	for _, c := range cases {
		t.Run(string(c.state), func(t *testing.T) {
			got, ok := githubState(c.state)
			if !ok || got != c.want {
				t.Errorf("githubState(%s) = %q, %v; want %q", c.state, got, ok, c.want)
			}
		})
	}
	t.Run("an unknown state is refused", func(t *testing.T) {
		if got, ok := githubState("bogus"); ok {
			t.Errorf("githubState(bogus) = %q, want refusal", got)
		}
	})
}

func TestStatusDescriptionKeepsTheBaseSHAAndFitsGitHubsLimit(t *testing.T) {
	sha := strings.Repeat("a", 40)
	pad := func(n int) string { return strings.Repeat("\u2001", n) }
	long := strings.Repeat("x", 50) + strings.Repeat("y", 100)
	cases := []struct {
		name, desc, sha, want string
	}{
		{"a short description is padded to 140 characters", "Job succeeded.", sha,
			"Job succeeded." + pad(140-14-49) + " BaseSHA:" + sha},
		{"an empty description is all padding", "", sha, pad(91) + " BaseSHA:" + sha},
		{"a description that fits exactly has no padding", strings.Repeat("d", 91), sha, strings.Repeat("d", 91) + " BaseSHA:" + sha},
		{"a long description is cut in the middle, not the base SHA", long, sha,
			strings.Repeat("x", 43) + " ... " + strings.Repeat("y", 43) + " BaseSHA:" + sha},
		{"without a base SHA the description stays as is", "Job triggered.", "", "Job triggered."},
		{"without a base SHA a long description is cut to 140", long, "",
			strings.Repeat("x", 50) + strings.Repeat("y", 17) + " ... " + strings.Repeat("y", 68)},
		{"characters are counted, not bytes", "Jöb fäiled.", sha, "Jöb fäiled." + pad(140-11-49) + " BaseSHA:" + sha},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := StatusDescription(c.desc, c.sha)
			if got != c.want {
				t.Errorf("StatusDescription(%q, %q)\n got %q\nwant %q", c.desc, c.sha, got, c.want)
			}
			if n := utf8.RuneCountInString(got); n > MaxDescription {
				t.Errorf("%d characters, more than %d", n, MaxDescription)
			}
			if c.sha != "" {
				if back := BaseSHAFromDescription(got); back != c.sha {
					t.Errorf("BaseSHAFromDescription = %q, want %q", back, c.sha)
				}
			}
		})
	}
}

func TestBaseSHAFromDescriptionNeedsAFullSHA(t *testing.T) {
	cases := map[string]string{
		"plain description":              "",
		"Job. BaseSHA:abc":               "",
		"Job. BaseSHA:" + sha40("b"):     sha40("b"),
		"A BaseSHA:x BaseSHA:" + sha40(): "",
	}
	for desc, want := range cases {
		t.Run(desc, func(t *testing.T) {
			if got := BaseSHAFromDescription(desc); got != want {
				t.Errorf("BaseSHAFromDescription(%q) = %q, want %q", desc, got, want)
			}
		})
	}
}

func sha40(c ...string) string {
	s := "c"
	if len(c) > 0 {
		s = c[0]
	}
	return strings.Repeat(s, 40)
}

func TestOnlyHopelessStatusErrorsAreSwallowed(t *testing.T) {
	cases := []struct {
		err  string
		want bool
	}{
		{"POST /repos/o/r/statuses/abc: 422 This SHA and context has reached the maximum number of statuses.", true},
		{"POST /repos/o/r/statuses/abc: 404 Not Found []", true},
		{"POST /repos/o/r/statuses/abc: 422 No commit found for SHA: abc", true},
		{"POST /repos/o/r/statuses/abc: 502 Bad Gateway", false},
		{"dial tcp: connection refused", false},
	}
	for _, c := range cases {
		t.Run(c.err, func(t *testing.T) {
			if got := swallowedStatusError(errors.New(c.err)); got != c.want {
				t.Errorf("swallowed = %v, want %v", got, c.want)
			}
		})
	}
}
