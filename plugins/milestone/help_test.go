package milestone_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/milestone"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help (served at /plugin-help and shown by deck's command
// help) lists the command, its examples, who may use it and the team.
func TestMilestoneHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{milestone.Name}}},
		RepoMilestone: map[string]pluginconfig.Milestone{"": {MaintainersTeam: "release-team"}}}
	h := harness.Help(t, milestone.New(nil), cfg)
	ph := h.PluginHelp[milestone.Name]
	if len(ph.Commands) != 1 {
		t.Fatalf("commands %+v", ph.Commands)
	}
	c := ph.Commands[0]
	if c.Usage != "/milestone <title>|clear" || len(c.Examples) != 2 || !strings.Contains(c.WhoCanUse, "maintainers team") {
		t.Errorf("command help %+v", c)
	}
	if !strings.Contains(ph.Config[""], "release-team") {
		t.Errorf("config help %q lacks the team", ph.Config)
	}
}
