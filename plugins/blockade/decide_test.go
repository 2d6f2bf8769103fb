package blockade

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
)

func ptr(s string) *string { return &s }

func TestBlocking(t *testing.T) {
	docs := pluginconfig.Blockade{Repos: []string{"demo"}, BlockRegexps: []string{`^docs/`}, ExceptionRegexps: []string{`^docs/drafts/`}, Explanation: "Docs are frozen."}
	release := pluginconfig.Blockade{Repos: []string{"demo/hello"}, BranchRegexp: ptr(`^release-`), BlockRegexps: []string{`\.go$`}}
	other := pluginconfig.Blockade{Repos: []string{"elsewhere"}, BlockRegexps: []string{`.*`}, Explanation: "Not here."}
	all := []pluginconfig.Blockade{docs, release, other}
	cases := []struct {
		name, repo, branch string
		files              []string
		want               []Hit
	}{
		{"a blocked path blocks", "hello", "main", []string{"docs/a.md", "main.go"}, []Hit{{Explanation: "Docs are frozen.", Files: []string{"docs/a.md"}}}},
		{"an excepted path does not", "hello", "main", []string{"docs/drafts/a.md"}, nil},
		{"an org entry covers every repository", "other", "main", []string{"docs/b.md"}, []Hit{{Explanation: "Docs are frozen.", Files: []string{"docs/b.md"}}}},
		{"a branch regexp limits the branches", "hello", "main", []string{"main.go"}, nil},
		{"a matching branch is blocked, with the default explanation", "hello", "release-1.0", []string{"main.go", "docs/x"},
			[]Hit{{Explanation: "Docs are frozen.", Files: []string{"docs/x"}}, {Explanation: defaultExplanation, Files: []string{"main.go"}}}},
		{"a repo entry covers only its repository", "other", "release-1.0", []string{"main.go"}, nil},
		{"no files, no block", "hello", "main", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Blocking(all, "demo", tc.repo, tc.branch, tc.files)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Blocking = %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := Blocking([]pluginconfig.Blockade{{Repos: []string{"demo"}, BlockRegexps: []string{"("}}}, "demo", "hello", "main", []string{"a"}); err == nil {
		t.Error("a bad regexp should be an error")
	}
}

func TestDecide(t *testing.T) {
	cases := []struct {
		name             string
		blocked, labeled bool
		want             Action
	}{
		{"a blocked pull request gets the label", true, false, Block},
		{"a labeled blocked pull request keeps it", true, true, Keep},
		{"an unblocked labeled pull request loses it", false, true, Unblock},
		{"an unblocked unlabeled pull request is left alone", false, false, Keep},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.blocked, tc.labeled); got != tc.want {
				t.Errorf("Decide(%v, %v) = %v, want %v", tc.blocked, tc.labeled, got, tc.want)
			}
		})
	}
}

func TestRelevant(t *testing.T) {
	cases := []struct {
		name, action, state string
		baseChanged         bool
		want                bool
	}{
		{"opened", "opened", "open", false, true},
		{"reopened", "reopened", "open", false, true},
		{"a push", "synchronize", "open", false, true},
		{"a new base branch", "edited", "open", true, true},
		{"a title edit", "edited", "open", false, false},
		{"a label", "labeled", "open", false, false},
		{"a push to a closed pull request", "synchronize", "closed", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Relevant(tc.action, tc.baseChanged, tc.state); got != tc.want {
				t.Errorf("Relevant(%s, %v, %s) = %v, want %v", tc.action, tc.baseChanged, tc.state, got, tc.want)
			}
		})
	}
}
