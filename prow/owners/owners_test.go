package owners

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func tree() fstest.MapFS {
	return fstest.MapFS{
		"OWNERS":                      {Data: []byte("approvers: [Root-Approver, sig-leads]\nreviewers: [root-reviewer]\nemeritus_approvers: [old]\n")},
		"OWNERS_ALIASES":              {Data: []byte("aliases:\n  sig-leads: [Lead-One, lead-two]\n")},
		"pkg/OWNERS":                  {Data: []byte("approvers: [pkg-approver]\nreviewers: [pkg-reviewer]\nlabels: [area/pkg]\n")},
		"pkg/api/types.go":            {Data: []byte("package api")},
		"pkg/api/OWNERS":              {Data: []byte("reviewers: [api-reviewer]\nrequired_reviewers: [api-guardian]\n")},
		"secret/OWNERS":               {Data: []byte("options: {no_parent_owners: true}\napprovers: [security]\n")},
		"secret/keys.go":              {Data: []byte("")},
		"docs/OWNERS":                 {Data: []byte("filters:\n  '.*':\n    approvers: [docs-all]\n  '\\.md$':\n    approvers: [md-approver]\n    labels: [kind/documentation]\n")},
		"vendor/x/y/OWNERS":           {Data: []byte("approvers: [vendored]\n")},
		"hack/tool.sh":                {Data: []byte("")},
		"cmd/_output/OWNERS":          {Data: []byte("approvers: [never]\n")},
		"docs/guide.md":               {Data: []byte("")},
		"docs/image.png":              {Data: []byte("")},
		"unowned/sub/OWNERS":          {Data: []byte("reviewers: [only-reviews]\n")},
		"unowned/sub/file.go":         {Data: []byte("")},
		"vendor/x/y/z.go":             {Data: []byte("")},
		"pkg/api/nested/deep/file.go": {Data: []byte("")},
	}
}

func load(t *testing.T) *RepoOwners {
	t.Helper()
	ro, err := Load(tree(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ro
}

func TestWhoApprovesAndReviews(t *testing.T) {
	ro := load(t)
	cases := []struct {
		file              string
		approvers, leaf   []string
		reviewers, labels []string
		approverDir       string
		required          []string
	}{
		{"README.md", []string{"lead-one", "lead-two", "root-approver"}, []string{"lead-one", "lead-two", "root-approver"}, []string{"root-reviewer"}, []string{}, "", []string{}},
		{"pkg/api/types.go", []string{"lead-one", "lead-two", "pkg-approver", "root-approver"}, []string{"pkg-approver"}, []string{"api-reviewer", "pkg-reviewer", "root-reviewer"}, []string{"area/pkg"}, "pkg", []string{"api-guardian"}},
		{"pkg/api/nested/deep/file.go", []string{"lead-one", "lead-two", "pkg-approver", "root-approver"}, []string{"pkg-approver"}, []string{"api-reviewer", "pkg-reviewer", "root-reviewer"}, []string{"area/pkg"}, "pkg", []string{"api-guardian"}},
		{"secret/keys.go", []string{"security"}, []string{"security"}, []string{}, []string{}, "secret", []string{}},
		{"docs/guide.md", []string{"docs-all", "lead-one", "lead-two", "md-approver", "root-approver"}, []string{"docs-all", "md-approver"}, []string{"root-reviewer"}, []string{"kind/documentation"}, "docs", []string{}},
		{"docs/image.png", []string{"docs-all", "lead-one", "lead-two", "root-approver"}, []string{"docs-all"}, []string{"root-reviewer"}, []string{}, "docs", []string{}},
		{"vendor/x/y/z.go", []string{"lead-one", "lead-two", "root-approver"}, []string{"lead-one", "lead-two", "root-approver"}, []string{"root-reviewer"}, []string{}, "", []string{}},
		{"unowned/sub/file.go", []string{"lead-one", "lead-two", "root-approver"}, []string{"lead-one", "lead-two", "root-approver"}, []string{"only-reviews", "root-reviewer"}, []string{}, "", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			check := func(what string, got, want []string) {
				t.Helper()
				if len(got) == 0 && len(want) == 0 {
					return
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			check("Approvers", ro.Approvers(tc.file), tc.approvers)
			check("LeafApprovers", ro.LeafApprovers(tc.file), tc.leaf)
			check("Reviewers", ro.Reviewers(tc.file), tc.reviewers)
			check("Labels", ro.Labels(tc.file), tc.labels)
			check("RequiredReviewers", ro.RequiredReviewers(tc.file), tc.required)
			if dir, ok := ro.ApproverOwnersFile(tc.file); !ok || dir != tc.approverDir {
				t.Errorf("ApproverOwnersFile = %q, %v; want %q", dir, ok, tc.approverDir)
			}
		})
	}
	if !ro.IsApprover("PKG-APPROVER", "pkg/api/types.go") || ro.IsApprover("pkg-approver", "secret/keys.go") {
		t.Error("IsApprover must be case-insensitive and respect no_parent_owners")
	}
}

func TestSuggestApprovers(t *testing.T) {
	ro := load(t)
	cases := []struct {
		name   string
		files  []string
		prefer []string
		want   []string
	}{
		{"one file, its closest approver", []string{"pkg/api/types.go"}, nil, []string{"pkg-approver"}},
		{"files under two OWNERS need two people", []string{"pkg/api/types.go", "secret/keys.go"}, nil, []string{"pkg-approver", "security"}},
		{"an assignee who can approve is kept", []string{"README.md"}, []string{"Lead-Two"}, []string{"lead-two"}},
		{"an assignee who cannot approve is not", []string{"secret/keys.go"}, []string{"lead-two"}, []string{"security"}},
		{"no files, no one", nil, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ro.SuggestApprovers(tc.files, tc.prefer); !reflect.DeepEqual(got, tc.want) && (len(got) != 0 || len(tc.want) != 0) {
				t.Errorf("SuggestApprovers = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	fsys := tree()
	fsys["broken/OWNERS"] = &fstest.MapFile{Data: []byte("approvers: [a\n")}
	fsys["badfilter/OWNERS"] = &fstest.MapFile{Data: []byte("filters:\n  '(':\n    approvers: [a]\n")}
	_, err := Load(fsys, Options{})
	if err == nil || !strings.Contains(err.Error(), "broken/OWNERS") || !strings.Contains(err.Error(), "badfilter/OWNERS") {
		t.Errorf("err = %v, want both files named", err)
	}
}

func TestCustomFileNamesAndDenylist(t *testing.T) {
	fsys := fstest.MapFS{
		"MAINTAINERS":     {Data: []byte("approvers: [root]\n")},
		"gen/MAINTAINERS": {Data: []byte("approvers: [generated]\n")},
		"gen/a.go":        {Data: []byte("")},
	}
	ro, err := Load(fsys, Options{OwnersFile: "MAINTAINERS", DirDenylist: []string{"^gen$"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ro.Approvers("gen/a.go"); !reflect.DeepEqual(got, []string{"root"}) {
		t.Errorf("Approvers = %v: the denylisted directory's file must be ignored", got)
	}
}
