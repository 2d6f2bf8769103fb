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
		dir  string
		want bool
	}{{"api", true}, {"", false}, {"docs", false}} {
		if got := ro.AutoApprovesUnownedSubfolders(tc.dir); got != tc.want {
			t.Errorf("AutoApprovesUnownedSubfolders(%q) = %v, want %v", tc.dir, got, tc.want)
		}
	}
}
