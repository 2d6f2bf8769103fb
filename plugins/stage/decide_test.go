package stage

import (
	"reflect"
	"testing"
)

func TestDecide(t *testing.T) {
	cases := []struct {
		name   string
		labels []string
		cmds   []Command
		want   Change
	}{
		{"/stage alpha adds stage/alpha", nil, []Command{{Stage: "alpha"}}, Change{Add: []string{"stage/alpha"}}},
		{"/stage beta replaces stage/alpha", []string{"stage/alpha", "kind/feature"}, []Command{{Stage: "beta"}}, Change{Add: []string{"stage/beta"}, Remove: []string{"stage/alpha"}}},
		{"/stage stable removes every other stage", []string{"stage/alpha", "stage/beta"}, []Command{{Stage: "stable"}}, Change{Add: []string{"stage/stable"}, Remove: []string{"stage/alpha", "stage/beta"}}},
		{"the stage it has already is nothing to do", []string{"stage/beta"}, []Command{{Stage: "beta"}}, Change{}},
		{"a stage in capitals counts", nil, []Command{{Stage: "BETA"}}, Change{Add: []string{"stage/beta"}}},
		{"/remove-stage removes the label", []string{"stage/beta"}, []Command{{Remove: true, Stage: "beta"}}, Change{Remove: []string{"stage/beta"}}},
		{"/remove-stage of a stage it lacks is nothing to do", []string{"stage/beta"}, []Command{{Remove: true, Stage: "alpha"}}, Change{}},
		{"commands apply in order: the last stage wins", nil, []Command{{Stage: "alpha"}, {Stage: "stable"}}, Change{Add: []string{"stage/stable"}}},
		{"a stage set then removed in one comment is nothing to do", nil, []Command{{Stage: "alpha"}, {Remove: true, Stage: "alpha"}}, Change{}},
		{"labels matched case-insensitively", []string{"Stage/Alpha"}, []Command{{Stage: "alpha"}}, Change{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.labels, tc.cmds); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide(%v, %+v) = %+v, want %+v", tc.labels, tc.cmds, got, tc.want)
			}
		})
	}
}
