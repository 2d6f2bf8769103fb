package config

import (
	"fmt"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/yamlconf"
)

// unimplementedPluginSettings returns one warning per plugins.yaml setting
// of an implemented plugin that the plugin reads but cannot act on: a
// repo_milestone entry naming its team only by Prow's deprecated numeric
// maintainers_id (the milestone plugins find teams by slug).
func unimplementedPluginSettings(file string, pc *pluginconfig.Configuration) []yamlconf.Problem {
	var out []yamlconf.Problem
	for _, key := range mapkeys.Sorted(pc.RepoMilestone) {
		m := pc.RepoMilestone[key]
		if m.MaintainersID != 0 && m.MaintainersTeam == "" {
			out = append(out, yamlconf.Problem{File: file, Message: fmt.Sprintf(
				"repo_milestone[%q].maintainers_id is accepted but not implemented, so /milestone and /status have no team there: name the team with maintainers_team", key)})
		}
	}
	return out
}
