package size

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

func TestLabelFor(t *testing.T) {
	def := pluginconfig.Size{S: 10, M: 30, L: 100, Xl: 500, Xxl: 1000}
	custom := pluginconfig.Size{S: 1, M: 2, L: 3, Xl: 4, Xxl: 5}
	cases := []struct {
		name  string
		lines int
		t     pluginconfig.Size
		want  string
	}{
		{"no lines", 0, def, "size/XS"},
		{"just under S", 9, def, "size/XS"},
		{"S starts at its threshold", 10, def, "size/S"},
		{"just under M", 29, def, "size/S"},
		{"M starts at its threshold", 30, def, "size/M"},
		{"just under L", 99, def, "size/M"},
		{"L starts at its threshold", 100, def, "size/L"},
		{"just under XL", 499, def, "size/L"},
		{"XL starts at its threshold", 500, def, "size/XL"},
		{"just under XXL", 999, def, "size/XL"},
		{"XXL starts at its threshold", 1000, def, "size/XXL"},
		{"custom thresholds", 3, custom, "size/L"},
		{"past every custom threshold", 50, custom, "size/XXL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LabelFor(tc.lines, tc.t); got != tc.want {
				t.Errorf("LabelFor(%d, %+v) = %s, want %s", tc.lines, tc.t, got, tc.want)
			}
		})
	}
}

func TestCountLeavesOutGeneratedFiles(t *testing.T) {
	var g Generated
	ParseGeneratedFiles([]byte("# generated\nfile-name zz_generated.deepcopy.go\nfile-prefix mock_\npath-prefix vendor/\n"), &g)
	ParseGitAttributes([]byte("*.pb.go linguist-generated=true\ndocs/api/*.md linguist-generated\n*.go diff=golang\n"), &g)
	changes := []github.PullRequestChange{
		{Filename: "main.go", Additions: 5, Deletions: 2},
		{Filename: "api/zz_generated.deepcopy.go", Additions: 400},
		{Filename: "pkg/mock_client.go", Additions: 100},
		{Filename: "vendor/x/y.go", Additions: 1000},
		{Filename: "api/types.pb.go", Additions: 300},
		{Filename: "docs/api/index.md", Additions: 50},
		{Filename: "docs/guide.md", Additions: 3},
	}
	if got := Count(changes, g); got != 10 {
		t.Errorf("Count = %d, want 10 (main.go and docs/guide.md)", got)
	}
}

func TestPlan(t *testing.T) {
	cases := []struct {
		name   string
		have   []string
		want   string
		add    string
		remove []string
	}{
		{"no size label yet", nil, "size/S", "size/S", nil},
		{"the right size label already", []string{"size/S", "lgtm"}, "size/S", "", nil},
		{"stale size labels are removed, others kept", []string{"size/XL", "lgtm", "size/M"}, "size/S", "size/S", []string{"size/XL", "size/M"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			add, remove := Plan(tc.have, tc.want)
			if add != tc.add || !reflect.DeepEqual(remove, tc.remove) {
				t.Errorf("Plan(%v, %s) = %q, %v; want %q, %v", tc.have, tc.want, add, remove, tc.add, tc.remove)
			}
		})
	}
}
