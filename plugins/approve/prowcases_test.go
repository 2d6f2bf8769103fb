package approve

import (
	"reflect"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/prowbot/prow/prow/owners"
)

// TestApproveArguments follows Prow's argument matching: `cancel`
// anywhere in the arguments withdraws, any other arguments approve.
func TestApproveArguments(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		lgtm       bool
		want       bool // root approves after "/approve" then body
	}{
		{"approve cancel withdraws", "/approve cancel", false, false},
		{"cancel anywhere in the arguments withdraws", "/approve please cancel this", false, false},
		{"cancel in capitals withdraws", "/approve CANCEL", false, false},
		{"cancel inside a word withdraws too", "/approve uncancel", false, false},
		{"remove-approve withdraws", "/remove-approve", false, false},
		{"approve with random arguments approves", "/approve this looks fine", true, true},
		{"approve no-issue approves", "/approve no-issue", false, true},
		{"lgtm cancel withdraws when lgtm acts as approve", "/lgtm cancel", true, false},
		{"lgtm cancel is ignored otherwise", "/lgtm cancel", false, true},
		{"remove-lgtm withdraws when lgtm acts as approve", "/remove-lgtm", true, false},
		{"a quoted cancel is not a command", "> /approve cancel", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			votes := []Vote{{User: "root", Body: "/approve", At: at(1)}, {User: "root", Body: tc.body, At: at(2)}}
			got := Approvers(votes, "author", Settings{RequireSelfApproval: true, LgtmActsAsApprove: tc.lgtm})
			if got["root"] != tc.want {
				t.Errorf("after %q root approves: %v, want %v", tc.body, got["root"], tc.want)
			}
		})
	}
	t.Run("approve with arguments approves from nothing", func(t *testing.T) {
		got := Approvers([]Vote{{User: "root", Body: "/approve looks good", At: at(1)}}, "author", Settings{RequireSelfApproval: true})
		if !got["root"] {
			t.Error("/approve with arguments should approve")
		}
	})
}

// TestBotVotesAreIgnored: the bot's comments and reviews never approve,
// as a GitHub App either.
func TestBotVotesAreIgnored(t *testing.T) {
	for _, tc := range []struct {
		name, user, bot string
		want            bool
	}{
		{"the bot's login", "the-bot", "the-bot", true},
		{"the bot's app login", "the-bot[bot]", "the-bot", true},
		{"in another case", "The-Bot", "the-bot", true},
		{"someone else", "root", "the-bot", false},
		{"no bot login known", "root", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isBot(tc.user, tc.bot); got != tc.want {
				t.Errorf("isBot(%q, %q) = %v, want %v", tc.user, tc.bot, got, tc.want)
			}
		})
	}
	votes := []Vote{{User: "the-bot", Review: "APPROVED", FromBot: true, At: at(1)}}
	if got := Approvers(votes, "author", Settings{RequireSelfApproval: true}); len(got) != 0 {
		t.Errorf("a bot review approved: %v", got)
	}
}

// TestAutoApproveUnownedSubfolders follows Prow's cases for the OWNERS
// option: files in folders below an OWNERS file that sets it, and that
// have no approvers of their own, need no approval.
func TestAutoApproveUnownedSubfolders(t *testing.T) {
	ro, err := owners.Load(fstest.MapFS{
		"OWNERS":              {Data: []byte("approvers: [root]\n")},
		"api/OWNERS":          {Data: []byte("approvers: [alice]\noptions:\n  auto_approve_unowned_subfolders: true\n")},
		"api/owned/OWNERS":    {Data: []byte("approvers: [carol]\n")},
		"docs/OWNERS":         {Data: []byte("approvers: [dan]\n")},
		"api/owned/x.go":      {Data: []byte("x")},
		"api/new/sub/y.go":    {Data: []byte("y")},
		"docs/guide/z.md":     {Data: []byte("z")},
		"api/reviewed/OWNERS": {Data: []byte("reviewers: [rev]\n")},
	}, owners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		files     []string
		approvers []string
		approved  bool
		units     []string
	}{
		{"a new subfolder needs no approval", []string{"api/new/a.go"}, nil, true, nil},
		{"a deeper new subfolder needs no approval", []string{"api/new/sub/y.go"}, nil, true, nil},
		{"a subfolder with only reviewers is unowned", []string{"api/reviewed/a.go"}, nil, true, nil},
		{"files beside the OWNERS file still need it", []string{"api/types.go"}, nil, false, []string{"api"}},
		{"a subfolder with its own approvers needs them", []string{"api/owned/x.go"}, nil, false, []string{"api/owned"}},
		{"folders of an OWNERS without the option need approval", []string{"docs/guide/z.md"}, nil, false, []string{"docs"}},
		{"the rest of the change still needs its approvers", []string{"api/new/a.go", "README.md"}, []string{"root"}, true, []string{""}},
		{"the rest of the change unapproved", []string{"api/new/a.go", "README.md"}, nil, false, []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := map[string]bool{}
			for _, a := range tc.approvers {
				set[a] = true
			}
			st := Evaluate(ro, tc.files, set, nil)
			var units []string
			for _, u := range st.Units {
				units = append(units, u.Dir)
			}
			sort.Strings(units)
			if st.Approved != tc.approved || !reflect.DeepEqual(units, tc.units) {
				t.Errorf("approved %v units %q; want %v %q", st.Approved, units, tc.approved, tc.units)
			}
		})
	}
}
