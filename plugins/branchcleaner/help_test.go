package branchcleaner_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/branchcleaner"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help lists the plugin with its event and the branches kept.
func TestBranchCleanerHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo/hello": {Plugins: []string{branchcleaner.Name}}},
		BranchCleaner: pluginconfig.BranchCleaner{PreservedBranches: map[string][]string{"demo": {"release"}, "demo/hello": {"keep-me"}}}}
	h := harness.Help(t, branchcleaner.New(nil), cfg)
	if !reflect.DeepEqual(h.RepoPlugins["demo/hello"], []string{branchcleaner.Name}) {
		t.Fatalf("demo/hello's plugins: %v", h.RepoPlugins)
	}
	ph := h.PluginHelp[branchcleaner.Name]
	if !strings.Contains(ph.Description, "merged") || !reflect.DeepEqual(ph.Events, []string{"pull_request"}) || len(ph.Commands) != 0 {
		t.Errorf("help: %+v", ph)
	}
	if got := ph.Config["demo/hello"]; !strings.Contains(got, "keep-me, release") {
		t.Errorf("config help %q", ph.Config)
	}
}
