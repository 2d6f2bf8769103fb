package owners

import (
	"testing"
	"testing/fstest"
)

func TestAutoApprovesUnownedSubfolders(t *testing.T) {
	ro, err := Load(fstest.MapFS{
		"OWNERS":     {Data: []byte("approvers: [root]\n")},
		"api/OWNERS": {Data: []byte("approvers: [alice]\noptions:\n  auto_approve_unowned_subfolders: true\n")},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		dir  string
		want bool
	}{
		{"a folder whose OWNERS sets the option", "api", true},
		{"the root, which does not set it", "", false},
		{"a folder without OWNERS", "docs", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ro.AutoApprovesUnownedSubfolders(tc.dir); got != tc.want {
				t.Errorf("AutoApprovesUnownedSubfolders(%q) = %v, want %v", tc.dir, got, tc.want)
			}
		})
	}
}
