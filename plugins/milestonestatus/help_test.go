package milestonestatus_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/milestonestatus"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help lists /status with its statuses, examples, who may use
// it, and the team.
func TestMilestoneStatusHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{milestonestatus.Name}}},
		RepoMilestone: map[string]pluginconfig.Milestone{"": {MaintainersTeam: "release-team"}}}
	h := harness.Help(t, milestonestatus.New(nil), cfg)
	ph := h.PluginHelp[milestonestatus.Name]
	if len(ph.Commands) != 1 {
		t.Fatalf("commands %+v", ph.Commands)
	}
	c := ph.Commands[0]
	if c.Usage != "/status approved-for-milestone|in-progress|in-review" || len(c.Examples) != 3 || !strings.Contains(c.WhoCanUse, "maintainers team") {
		t.Errorf("command help %+v", c)
	}
	if !strings.Contains(ph.Description, "status/approved-for-milestone") {
		t.Errorf("description %q lacks the labels", ph.Description)
	}
	if got := milestonestatusConfig(ph.Config); !strings.Contains(got, "release-team") {
		t.Errorf("config help %q lacks the team", got)
	}
}

func milestonestatusConfig(m map[string]string) string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return strings.Join(out, "\n")
}
