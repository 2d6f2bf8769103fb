package wip

import "testing"

func TestDecide(t *testing.T) {
	cases := []struct {
		title       string
		draft, has  bool
		add, remove bool
	}{
		{"WIP: new thing", false, false, true, false},
		{"[WIP] new thing", false, false, true, false},
		{"wip new thing", false, false, true, false},
		{"Wipe the cache", false, false, false, false},
		{"Fix bug", true, false, true, false},
		{"Fix bug", false, true, false, true},
		{"WIP fix", false, true, false, false},
		{"Fix WIP handling", false, false, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.title, func(t *testing.T) {
			add, remove := Decide(tc.title, tc.draft, tc.has)
			if add != tc.add || remove != tc.remove {
				t.Errorf("Decide(%q, draft=%v, has=%v) = %v, %v; want %v, %v", tc.title, tc.draft, tc.has, add, remove, tc.add, tc.remove)
			}
		})
	}
}
