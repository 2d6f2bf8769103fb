package cherrypickunapproved

import (
	"regexp"
	"testing"
)

func TestDecide(t *testing.T) {
	release := regexp.MustCompile(`^release-.*$`)
	for _, tc := range []struct {
		name                 string
		re                   *regexp.Regexp
		base                 string
		approved, unapproved bool
		want                 Action
	}{
		{"a release branch without either label is blocked", release, "release-1.2", false, false, Block},
		{"already blocked: nothing more", release, "release-1.2", false, true, Keep},
		{"approved and blocked: unblocked", release, "release-1.2", true, true, Unblock},
		{"approved only: nothing", release, "release-1.2", true, false, Keep},
		{"the default branch is no cherry-pick", release, "main", false, false, Keep},
		{"a branch merely containing release- is none either", release, "pre-release-1", false, false, Keep},
		{"labels on other branches are left alone", release, "main", true, true, Keep},
		{"a configured regexp", regexp.MustCompile(`^v\d+\.\d+$`), "v1.4", false, false, Block},
		{"no regexp matches nothing", nil, "release-1.2", false, false, Keep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.re, tc.base, tc.approved, tc.unapproved); got != tc.want {
				t.Errorf("Decide(%s, approved %v, unapproved %v) = %v, want %v", tc.base, tc.approved, tc.unapproved, got, tc.want)
			}
		})
	}
}
