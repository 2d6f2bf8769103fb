package hold

import (
	"testing"

	"github.com/prowbot/prow/plugins"
)

func TestDecide(t *testing.T) {
	cases := []struct {
		name        string
		has         bool
		body        string
		add, remove bool
	}{
		{"hold adds the label", false, "/hold", true, false},
		{"hold with a reason adds it", false, "/hold until the release", true, false},
		{"hold when held does nothing", true, "/hold", false, false},
		{"hold cancel removes it", true, "/hold cancel", false, true},
		{"HOLD CANCEL is case-insensitive", true, "/HOLD Cancel", false, true},
		{"unhold removes it", true, "/unhold", false, true},
		{"remove-hold removes it", true, "/remove-hold", false, true},
		{"cancel without a hold does nothing", false, "/hold cancel", false, false},
		{"the last command wins", false, "/hold\n/hold cancel\n/hold", true, false},
		{"a quoted hold does nothing", false, "> /hold", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var invs []plugins.Invocation
			cmd := New(nil).Commands[0]
			for _, inv := range plugins.ParseCommands(tc.body) {
				if inv.Name == cmd.Name || inv.Name == cmd.Aliases[0] || inv.Name == cmd.Aliases[1] {
					invs = append(invs, inv)
				}
			}
			add, remove := Decide(tc.has, invs)
			if add != tc.add || remove != tc.remove {
				t.Errorf("Decide = add %v remove %v, want %v %v", add, remove, tc.add, tc.remove)
			}
		})
	}
}
