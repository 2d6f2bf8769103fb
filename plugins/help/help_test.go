package help

import (
	"reflect"
	"testing"
)

func TestPlan(t *testing.T) {
	cases := []struct {
		name        string
		cmd         string
		has         map[string]bool
		add, remove []string
		explain     bool
	}{
		{"help adds the label and explains it", "help", nil, []string{HelpLabel}, nil, true},
		{"help again does nothing", "help", map[string]bool{HelpLabel: true}, nil, nil, false},
		{"good-first-issue adds both labels", "good-first-issue", nil, []string{HelpLabel, GoodFirstIssueLabel}, nil, true},
		{"good-first-issue on a help issue adds its own label", "good-first-issue", map[string]bool{HelpLabel: true}, []string{GoodFirstIssueLabel}, nil, true},
		{"remove-help removes both labels", "remove-help", map[string]bool{HelpLabel: true, GoodFirstIssueLabel: true}, nil, []string{HelpLabel, GoodFirstIssueLabel}, false},
		{"remove-good-first-issue keeps help", "remove-good-first-issue", map[string]bool{HelpLabel: true, GoodFirstIssueLabel: true}, nil, []string{GoodFirstIssueLabel}, false},
		{"remove-help without the label does nothing", "remove-help", nil, nil, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			add, remove, explain := Plan(tc.cmd, tc.has)
			if !reflect.DeepEqual(add, tc.add) || !reflect.DeepEqual(remove, tc.remove) || explain != tc.explain {
				t.Errorf("Plan(%s, %v) = %v %v %v; want %v %v %v", tc.cmd, tc.has, add, remove, explain, tc.add, tc.remove, tc.explain)
			}
		})
	}
}
