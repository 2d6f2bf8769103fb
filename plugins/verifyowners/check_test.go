package verifyowners

import (
	"reflect"
	"strings"
	"testing"
)

var names = Filenames{Owners: "OWNERS", Aliases: "OWNERS_ALIASES"}

func TestParseOwners(t *testing.T) {
	cases := []struct {
		name, path, data string
		wantErr          bool
		want             Parsed
	}{
		{"a simple file lists its logins and labels", "OWNERS", "approvers: [Alice, bob]\nreviewers: [carol, alice]\nrequired_reviewers: [dave]\nlabels: [sig/x]\n", false,
			Parsed{Path: "OWNERS", Logins: []string{"alice", "bob", "carol", "dave"}, Labels: []string{"sig/x"}, Approvers: 2}},
		{"a full file gathers every filter", "api/OWNERS", "options: {no_parent_owners: true}\nfilters:\n  '.*': {approvers: [a]}\n  '\\.go$': {reviewers: [b], labels: [lang/go]}\n", false,
			Parsed{Path: "api/OWNERS", Logins: []string{"a", "b"}, Labels: []string{"lang/go"}, Approvers: 1, NoParentOwners: true}},
		{"unknown keys are fine", "OWNERS", "approvers: [a]\nemeritus_approvers: [old]\n", false,
			Parsed{Path: "OWNERS", Logins: []string{"a"}, Labels: []string{}, Approvers: 1}},
		{"an empty file parses", "docs/OWNERS", "", false, Parsed{Path: "docs/OWNERS", Logins: []string{}, Labels: []string{}}},
		{"broken YAML does not parse", "OWNERS", "approvers: [a\n", true, Parsed{}},
		{"a list where a map belongs does not parse", "OWNERS", "- a\n- b\n", true, Parsed{}},
		{"a bad filter regex does not parse", "OWNERS", "filters:\n  '(': {approvers: [a]}\n", true, Parsed{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseOwners(tc.path, []byte(tc.data), names)
			if tc.wantErr {
				if got.Err == nil {
					t.Fatalf("parsed %+v, want an error", got)
				}
				return
			}
			if got.Err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseOwners = %+v (%v), want %+v", got, got.Err, tc.want)
			}
		})
	}
}

func TestParseAliasesAndExpand(t *testing.T) {
	aliases, p := ParseAliases("OWNERS_ALIASES", []byte("aliases:\n  API-Team: [Alice, bob]\n  docs: [carol]\n"))
	if p.Err != nil || !reflect.DeepEqual(p.Logins, []string{"alice", "bob", "carol"}) {
		t.Fatalf("ParseAliases = %+v", p)
	}
	if got := Expand([]string{"api-team", "dave", "carol"}, aliases); !reflect.DeepEqual(got, []string{"alice", "bob", "carol", "dave"}) {
		t.Errorf("Expand = %v", got)
	}
	if _, p := ParseAliases("OWNERS_ALIASES", []byte("aliases: [a, b]\n")); p.Err == nil {
		t.Errorf("a list of aliases should not parse")
	}
}

func TestDenied(t *testing.T) {
	for p, want := range map[string]bool{"OWNERS": false, "api/OWNERS": false, "vendor/x/y/OWNERS": true, "vendor/OWNERS": false, "_output/OWNERS": true} {
		if got := Denied(p); got != want {
			t.Errorf("Denied(%s) = %v, want %v", p, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	collab := map[string]bool{"alice": true, "bob": true}
	parse := func(p, data string) Parsed { return ParseOwners(p, []byte(data), names) }
	cases := []struct {
		name  string
		file  Parsed
		rules Rules
		want  []string // reasons, each by a distinctive part
	}{
		{"collaborators and approvers make a valid root file", parse("OWNERS", "approvers: [alice]\nreviewers: [bob]\n"), Rules{Collaborators: collab}, nil},
		{"a file that does not parse is invalid", parse("OWNERS", "approvers: [a\n"), Rules{Collaborators: collab}, []string{"Cannot parse file: "}},
		{"a non-collaborator is invalid", parse("api/OWNERS", "approvers: [alice, mallory]\nreviewers: [eve]\n"), Rules{Collaborators: collab},
			[]string{"Not collaborators of the repository: eve, mallory."}},
		{"skip_collaborators skips the collaborator check", parse("api/OWNERS", "approvers: [mallory]\n"), Rules{SkipCollaborators: true}, nil},
		{"a denylisted label is invalid", parse("api/OWNERS", "approvers: [alice]\nlabels: [area/x, Approved]\n"), Rules{Denylist: []string{"approved", "lgtm"}, Collaborators: collab},
			[]string{"File contains banned labels: Approved."}},
		{"a root file without approvers is invalid", parse("OWNERS", "reviewers: [alice]\n"), Rules{Collaborators: collab},
			[]string{"No approvers defined in this root directory OWNERS file."}},
		{"a no_parent_owners file without approvers is invalid", parse("api/OWNERS", "options: {no_parent_owners: true}\nreviewers: [alice]\n"), Rules{Collaborators: collab},
			[]string{"which sets no_parent_owners"}},
		{"a nested file may name only reviewers", parse("api/OWNERS", "reviewers: [alice]\n"), Rules{Collaborators: collab}, nil},
		{"an aliases file may hold no approvers", Parsed{Path: "OWNERS_ALIASES", Logins: []string{"alice"}}, Rules{Collaborators: collab}, nil},
		{"every reason is given", parse("OWNERS", "reviewers: [zed]\nlabels: [lgtm]\n"), Rules{Denylist: []string{"lgtm"}, Collaborators: collab},
			[]string{"banned labels: lgtm", "No approvers", "collaborators of the repository: zed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Check([]Parsed{tc.file}, names, tc.rules)
			if len(tc.want) == 0 {
				if len(got) != 0 {
					t.Fatalf("Check = %+v, want valid", got)
				}
				return
			}
			if len(got) != 1 || len(got[0].Reasons) != len(tc.want) || got[0].Path != tc.file.Path {
				t.Fatalf("Check = %+v, want reasons %q", got, tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[0].Reasons[i], w) {
					t.Errorf("reason %d = %q, want it to contain %q", i, got[0].Reasons[i], w)
				}
			}
		})
	}
}
