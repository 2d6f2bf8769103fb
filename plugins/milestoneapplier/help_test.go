package milestoneapplier_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/milestoneapplier"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help names the event it acts on and the configured branches;
// it has no commands.
func TestMilestoneApplierHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{milestoneapplier.Name}}},
		MilestoneApplier: map[string]map[string]string{"demo/hello": {"main": "v1.31", "release-1.30": "v1.30"}}}
	ph := harness.Help(t, milestoneapplier.New(nil), cfg).PluginHelp[milestoneapplier.Name]
	if len(ph.Commands) != 0 || strings.Join(ph.Events, ",") != "pull_request" {
		t.Errorf("commands %+v, events %v", ph.Commands, ph.Events)
	}
	if got := ph.Config["demo/hello"]; got != "In demo/hello, merges into main go to milestone v1.31; merges into release-1.30 go to milestone v1.30." {
		t.Errorf("config help %q", got)
	}
}
