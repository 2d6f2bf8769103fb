package sigmention

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
)

func defaultRegexp() *regexp.Regexp {
	var cfg pluginconfig.Configuration
	cfg.ApplyDefaults()
	return regexp.MustCompile(cfg.SigMention.Regexp)
}

func TestDecide(t *testing.T) {
	repo := []string{"sig/node", "sig/API-Machinery", "sig/testing", "kind/bug", "kind/feature", "kind/api-change", "kind/design"}
	cases := []struct {
		name   string
		text   string
		labels []string
		member bool
		want   Plan
	}{
		{"a -bugs mention adds the sig and kind/bug", "cc @kubernetes/sig-node-bugs", nil, true, Plan{Add: []string{"sig/node", "kind/bug"}}},
		{"a -feature-requests mention adds kind/feature", "@kubernetes/sig-node-feature-requests", nil, true, Plan{Add: []string{"sig/node", "kind/feature"}}},
		{"an -api-reviews mention adds kind/api-change", "@kubernetes/sig-node-api-reviews", nil, true, Plan{Add: []string{"sig/node", "kind/api-change"}}},
		{"a -proposals mention adds kind/design", "@kubernetes/sig-node-proposals", nil, true, Plan{Add: []string{"sig/node", "kind/design"}}},
		{"a -misc mention adds only the sig", "@kubernetes/sig-node-misc", nil, true, Plan{Add: []string{"sig/node"}}},
		{"a -pr-reviews mention adds only the sig", "@kubernetes/sig-testing-pr-reviews", nil, true, Plan{Add: []string{"sig/testing"}}},
		{"a SIG with a dash in its name", "@kubernetes/sig-api-machinery-bugs", nil, true, Plan{Add: []string{"sig/API-Machinery", "kind/bug"}}},
		{"a label the repository lacks is not added", "@kubernetes/sig-storage-bugs", nil, true, Plan{Add: []string{"kind/bug"}}},
		{"labels the issue has are not added again", "@kubernetes/sig-node-bugs", []string{"sig/node", "kind/bug"}, true, Plan{}},
		{"two mentions of one SIG add each label once", "@kubernetes/sig-node-bugs @kubernetes/sig-node-misc", nil, true, Plan{Add: []string{"sig/node", "kind/bug"}}},
		{"a mention of another team does nothing", "@kubernetes/steering-committee", nil, false, Plan{}},
		{"a non-member's mentions are repeated", "@kubernetes/sig-node-bugs and @kubernetes/sig-testing-misc", nil, false,
			Plan{Add: []string{"sig/node", "kind/bug", "sig/testing"}, Repeat: []string{"@kubernetes/sig-node-bugs", "@kubernetes/sig-testing-misc"}}},
		{"a non-member's mention is repeated once", "@kubernetes/sig-node-bugs @kubernetes/sig-node-bugs", []string{"sig/node", "kind/bug"}, false,
			Plan{Repeat: []string{"@kubernetes/sig-node-bugs"}}},
	}
	re := defaultRegexp()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Decide(re.FindAllStringSubmatch(tc.text, -1), repo, tc.labels, tc.member)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}

// A configured regexp with one group labels the SIG only.
func TestDecideWithAOneGroupRegexp(t *testing.T) {
	re := regexp.MustCompile(`@example/sig-([\w-]+)`)
	got := Decide(re.FindAllStringSubmatch("@example/sig-node", -1), []string{"sig/node", "kind/bug"}, nil, true)
	if !reflect.DeepEqual(got, Plan{Add: []string{"sig/node"}}) {
		t.Errorf("plan %+v", got)
	}
}
