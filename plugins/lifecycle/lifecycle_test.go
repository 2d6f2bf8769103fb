package lifecycle

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/plugins"
)

func TestLabelPlan(t *testing.T) {
	cases := []struct {
		name   string
		inv    plugins.Invocation
		have   []string
		isPR   bool
		add    string
		remove []string
		reply  string
	}{
		{"stale is added", plugins.Invocation{Name: "lifecycle", Args: "stale"}, nil, false, "lifecycle/stale", nil, ""},
		{"rotten replaces stale", plugins.Invocation{Name: "lifecycle", Args: "Rotten"}, []string{"lifecycle/stale"}, false, "lifecycle/rotten", []string{"lifecycle/stale"}, ""},
		{"frozen is refused on PRs", plugins.Invocation{Name: "lifecycle", Args: "frozen"}, nil, true, "", nil, "The `lifecycle/frozen` label cannot be applied to pull requests."},
		{"remove-lifecycle removes", plugins.Invocation{Name: "remove-lifecycle", Args: "stale"}, []string{"lifecycle/stale"}, false, "", []string{"lifecycle/stale"}, ""},
		{"remove of an absent stage does nothing", plugins.Invocation{Name: "remove-lifecycle", Args: "stale"}, nil, false, "", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			add, remove, reply := LabelPlan(tc.inv, tc.have, tc.isPR)
			if add != tc.add || !reflect.DeepEqual(remove, tc.remove) || reply != tc.reply {
				t.Errorf("LabelPlan = %q %v %q; want %q %v %q", add, remove, reply, tc.add, tc.remove, tc.reply)
			}
		})
	}
}

func TestMayCloseOrReopen(t *testing.T) {
	cases := []struct {
		name                          string
		closing, author, collaborator bool
		have                          []string
		want                          bool
	}{
		{"the author may close", true, true, false, nil, true},
		{"a collaborator may reopen", false, false, true, nil, true},
		{"a stranger may not close an active issue", true, false, false, nil, false},
		{"a stranger may close a rotten one", true, false, false, []string{"lifecycle/rotten"}, true},
		{"a stranger may not reopen a rotten one", false, false, false, []string{"lifecycle/rotten"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MayCloseOrReopen(tc.closing, tc.author, tc.collaborator, tc.have); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
