package help

import (
	"reflect"
	"testing"
)

func TestPlan(t *testing.T) {
	cases := []struct {
		cmd         string
		has         map[string]bool
		add, remove []string
		explain     bool
	}{
		{"help", nil, []string{HelpLabel}, nil, true},
		{"help", map[string]bool{HelpLabel: true}, nil, nil, false},
		{"good-first-issue", nil, []string{HelpLabel, GoodFirstIssueLabel}, nil, true},
		{"good-first-issue", map[string]bool{HelpLabel: true}, []string{GoodFirstIssueLabel}, nil, true},
		{"remove-help", map[string]bool{HelpLabel: true, GoodFirstIssueLabel: true}, nil, []string{HelpLabel, GoodFirstIssueLabel}, false},
		{"remove-good-first-issue", map[string]bool{HelpLabel: true, GoodFirstIssueLabel: true}, nil, []string{GoodFirstIssueLabel}, false},
		{"remove-help", nil, nil, nil, false},
	}
	for _, tc := range cases {
		add, remove, explain := Plan(tc.cmd, tc.has)
		if !reflect.DeepEqual(add, tc.add) || !reflect.DeepEqual(remove, tc.remove) || explain != tc.explain {
			t.Errorf("Plan(%s, %v) = %v %v %v; want %v %v %v", tc.cmd, tc.has, add, remove, explain, tc.add, tc.remove, tc.explain)
		}
	}
}
