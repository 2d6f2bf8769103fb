package ondemand

import (
	"slices"
	"testing"
)

func TestSuggest(t *testing.T) {
	known := []string{"pull-repo-unit", "pull-repo-lint", "pull-repo-e2e", "post-repo-push", "nightly-cleanup", "ci-kubernetes-unit"}
	for _, tc := range []struct {
		name, asked string
		known       []string
		want        []string
	}{
		{"a typo finds the name it misses first", "pull-repo-unti", known, []string{"pull-repo-unit", "pull-repo-lint"}},
		{"the closest names come first", "pull-repo-lnt", known, []string{"pull-repo-lint", "pull-repo-unit", "pull-repo-e2e"}},
		{"a part of a name finds the names holding it", "unit", known, []string{"pull-repo-unit", "ci-kubernetes-unit"}},
		{"case does not matter to substrings", "NIGHTLY", known, []string{"nightly-cleanup"}},
		{"a longer name finds the names it holds", "periodic-nightly-cleanup-v2", known, []string{"nightly-cleanup"}},
		{"nothing close gives nothing", "zzzzzz", known, []string{}},
		{"no known names give nothing", "unit", nil, []string{}},
		{"a name listed twice is suggested once", "lint", []string{"pull-lint", "pull-lint"}, []string{"pull-lint"}},
		{"at most five are listed", "job", []string{"job1", "job2", "job3", "job4", "job5", "job6"}, []string{"job1", "job2", "job3", "job4", "job5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Suggest(tc.asked, tc.known); !slices.Equal(got, tc.want) {
				t.Errorf("Suggest(%q) = %q, want %q", tc.asked, got, tc.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"unit", "unti", 2}, {"same", "same", 0},
	} {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			if got := editDistance(tc.a, tc.b); got != tc.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}
