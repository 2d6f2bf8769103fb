package orgrepo

import (
	"slices"
	"testing"
)

func TestLookupPrefersTheMostSpecificKey(t *testing.T) {
	m := map[string]string{"o/r": "repo", "o": "org", "*": "all", "other/r": "elsewhere"}
	cases := []struct {
		name, org, repo string
		m               map[string]string
		want            string
		found           bool
	}{
		{"the repo's own entry", "o", "r", m, "repo", true},
		{"the org's entry for another repo", "o", "x", m, "org", true},
		{"the global entry for another org", "p", "r", m, "all", true},
		{"an org-level lookup skips repo keys", "o", "", m, "org", true},
		{"no org: only the global entry", "", "", m, "all", true},
		{"no entry at all", "p", "r", map[string]string{"o": "org"}, "", false},
		{"a repo key is not an org key", "other", "", map[string]string{"other/r": "x"}, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, found := Lookup(tc.m, tc.org, tc.repo)
			if got != tc.want || found != tc.found {
				t.Errorf("Lookup(%q, %q) = %q, %v; want %q, %v", tc.org, tc.repo, got, found, tc.want, tc.found)
			}
			if v := Value(tc.m, tc.org, tc.repo); v != tc.want {
				t.Errorf("Value = %q, want %q", v, tc.want)
			}
		})
	}
	if got := Keys("o", "r"); !slices.Equal(got, []string{"o/r", "o", "*"}) {
		t.Errorf("Keys = %v", got)
	}
}
