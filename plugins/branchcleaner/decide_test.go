package branchcleaner

import (
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
)

func TestDecide(t *testing.T) {
	merged := Input{Action: "closed", Merged: true, Org: "demo", Repo: "hello", BaseRepo: "demo/hello", HeadRepo: "demo/hello",
		Branch: "feature", DefaultBranch: "main"}
	with := func(f func(*Input)) Input { in := merged; f(&in); return in }
	cfg := pluginconfig.BranchCleaner{PreservedBranches: map[string][]string{"demo": {"release"}, "demo/hello": {"keep-me"}, "other": {"feature"}}}
	for _, tc := range []struct {
		name string
		in   Input
		want Verdict
	}{
		{"a merged branch of the repository goes", merged, Delete},
		{"a closed, unmerged pull request keeps its branch", with(func(i *Input) { i.Merged = false }), NotMerged},
		{"other actions do nothing", with(func(i *Input) { i.Action = "edited" }), NotMerged},
		{"a fork's branch is not ours to delete", with(func(i *Input) { i.HeadRepo = "bob/hello" }), FromFork},
		{"a deleted fork (no head repository) neither", with(func(i *Input) { i.HeadRepo = "" }), FromFork},
		{"the repository's case does not matter", with(func(i *Input) { i.HeadRepo = "Demo/Hello" }), Delete},
		{"preserved for the org", with(func(i *Input) { i.Branch = "release" }), Preserved},
		{"preserved for the repository", with(func(i *Input) { i.Branch = "keep-me" }), Preserved},
		{"another org's preserved branches do not count", with(func(i *Input) { i.Branch = "feature" }), Delete},
		{"preserved names match exactly", with(func(i *Input) { i.Branch = "release-1.0" }), Delete},
		{"the default branch is never deleted", with(func(i *Input) { i.Branch = "main" }), DefaultBranch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.in, cfg); got != tc.want {
				t.Errorf("Decide = %v, want %v", got, tc.want)
			}
		})
	}
}
