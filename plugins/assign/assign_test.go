package assign

import (
	"reflect"
	"testing"
)

func TestTargets(t *testing.T) {
	cases := []struct {
		name         string
		args         string
		users, teams []string
	}{
		{"no one named means the commenter", "", []string{"me"}, nil},
		{"one user", "@alice", []string{"alice"}, nil},
		{"the @ is optional", "@alice bob", []string{"alice", "bob"}, nil},
		{"a team and a user", "@demo/maintainers @carol", []string{"carol"}, []string{"maintainers"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			users, teams := Targets("me", tc.args)
			if !reflect.DeepEqual(users, tc.users) || !reflect.DeepEqual(teams, tc.teams) {
				t.Errorf("Targets(%q) = %v %v, want %v %v", tc.args, users, teams, tc.users, tc.teams)
			}
		})
	}
}
