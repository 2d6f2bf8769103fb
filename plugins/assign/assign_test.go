package assign

import (
	"reflect"
	"testing"
)

func TestTargets(t *testing.T) {
	cases := []struct {
		args         string
		users, teams []string
	}{
		{"", []string{"me"}, nil},
		{"@alice", []string{"alice"}, nil},
		{"@alice bob", []string{"alice", "bob"}, nil},
		{"@demo/maintainers @carol", []string{"carol"}, []string{"maintainers"}},
	}
	for _, tc := range cases {
		users, teams := Targets("me", tc.args)
		if !reflect.DeepEqual(users, tc.users) || !reflect.DeepEqual(teams, tc.teams) {
			t.Errorf("Targets(%q) = %v %v, want %v %v", tc.args, users, teams, tc.users, tc.teams)
		}
	}
}
