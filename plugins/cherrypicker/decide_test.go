package cherrypicker

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
)

func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"one branch", "/cherrypick release-1.0", []string{"release-1.0"}},
		{"the hyphenated alias", "/cherry-pick release-1.0", []string{"release-1.0"}},
		{"several, once each, in order", "/cherrypick b\n/cherry-pick a\n/cherrypick b", []string{"b", "a"}},
		{"the rest of the line, as Prow takes it", "/cherrypick release-1.0 please", []string{"release-1.0 please"}},
		{"a quoted command is not one", "> /cherrypick release-1.0", nil},
		{"a command in a code block is not one", "```\n/cherrypick release-1.0\n```", nil},
		{"other commands are not", "/lgtm\n/cherrypicker x", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Targets(plugins.ParseCommands(tc.body)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Targets(%q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}

func TestRequestsAtMerge(t *testing.T) {
	comments := []Comment{
		{User: "mallory", Body: "/cherrypick release-1.0", HTMLURL: "u0"},
		{User: "the-bot", Body: "/cherrypick release-9", HTMLURL: "u1"},
		{User: "alice", Body: "/cherrypick release-1.0\n/cherrypick release-2.0", HTMLURL: "u2"},
	}
	for _, tc := range []struct {
		name     string
		comments []Comment
		labels   []string
		prefix   string
		want     []Request
	}{
		{"none", nil, []string{"lgtm"}, "", nil},
		{"comments in order, the bot's left out", comments, nil, "", []Request{
			{Target: "release-1.0", Requester: "mallory", CommentURL: "u0", CommentBody: "/cherrypick release-1.0"},
			{Target: "release-1.0", Requester: "alice", CommentURL: "u2", CommentBody: comments[2].Body},
			{Target: "release-2.0", Requester: "alice", CommentURL: "u2", CommentBody: comments[2].Body},
		}},
		{"a label asks for the author", nil, []string{"lgtm", "cherrypick/release-3.0"}, "", []Request{
			{Target: "release-3.0", Requester: "bob", Label: "cherrypick/release-3.0"}}},
		{"a configured prefix", nil, []string{"cherrypick/release-3.0", "backport-to/release-4.0"}, "backport-to/", []Request{
			{Target: "release-4.0", Requester: "bob", Label: "backport-to/release-4.0"}}},
		{"a bare prefix names no branch", nil, []string{"cherrypick/"}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Requests(tc.comments, tc.labels, "bob", tc.prefix, "the-bot"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Requests = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestUniqueKeepsTheFirstAskerOfEachBranch(t *testing.T) {
	in := []Request{{Target: "a", Requester: "x"}, {Target: "b", Requester: "x"}, {Target: "a", Requester: "y"}}
	want := []Request{{Target: "a", Requester: "x"}, {Target: "b", Requester: "x"}}
	if got := Unique(in); !reflect.DeepEqual(got, want) {
		t.Errorf("Unique = %+v, want %+v", got, want)
	}
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		open, merged, allowed bool
		target                string
		want                  Step
	}{
		{"a non-member is refused on an open pull request", true, false, false, "release-1.0", Refuse},
		{"a non-member is refused on a merged one", false, true, false, "release-1.0", Refuse},
		{"on an open pull request the request waits for the merge", true, false, true, "release-1.0", Remember},
		{"a pull request closed unmerged has nothing to pick", false, false, true, "release-1.0", Unmerged},
		{"the base itself is no target", false, true, true, "main", SameBranch},
		{"a merged pull request is picked at once", false, true, true, "release-1.0", Pick},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.open, tc.merged, tc.allowed, "main", tc.target); got != tc.want {
				t.Errorf("Decide = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	for _, tc := range []struct{ name, target, base, title, want string }{
		{"prefixed with the target", "release-1.0", "main", "Fix it", "[release-1.0] Fix it"},
		{"a cherry-pick of a cherry-pick drops the old prefix", "release-0.9", "release-1.0", "[release-1.0] Fix it", "[release-0.9] Fix it"},
		{"another bracket stays", "release-1.0", "main", "[WIP] Fix it", "[release-1.0] [WIP] Fix it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Title(tc.target, tc.base, tc.title); got != tc.want {
				t.Errorf("Title = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBody(t *testing.T) {
	for _, tc := range []struct{ name, original, want string }{
		{"no release note", "Fixes #3.", "This is an automated cherry-pick of #7\n\n/assign alice"},
		{"a release-note block is carried over", "x\n```release-note\n  Faster.\n```\n",
			"This is an automated cherry-pick of #7\n\n/assign alice\n\n```release-note\nFaster.\n```"},
		{"the template's form too", "**Release note**:\n<!-- write it -->\n```\nNONE\n```",
			"This is an automated cherry-pick of #7\n\n/assign alice\n\n```release-note\nNONE\n```"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Body(7, "alice", tc.original); got != tc.want {
				t.Errorf("Body = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBranchName(t *testing.T) {
	if got := BranchName(12, "release-1.0"); got != "cherry-pick-12-to-release-1.0" {
		t.Errorf("BranchName = %q", got)
	}
}

func TestValidBranch(t *testing.T) {
	for name, want := range map[string]bool{
		"release-1.0": true, "feature/x": true, "v1.2.3": true,
		"": false, "-x": false, "a b": false, "a:b": false, "a..b": false, "a~1": false, "a^": false,
		"a?": false, "a*": false, "a[": false, "a\\b": false, "/a": false, "a/": false, "a.lock": false, "a.": false,
		"a//b": false, "a@{1}": false, "@": false, "a\tb": false,
	} {
		t.Run(name, func(t *testing.T) {
			if got := ValidBranch(name); got != want {
				t.Errorf("ValidBranch(%q) = %v, want %v", name, got, want)
			}
		})
	}
}
