package blockade_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/blockade"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help names the label and, per repository, what is blocked.
func TestBlockadeHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{blockade.Name}}},
		Blockades: []pluginconfig.Blockade{{Repos: []string{"demo"}, BlockRegexps: []string{"^docs/"}, ExceptionRegexps: []string{"^docs/drafts/"}, Explanation: "Frozen."}}}
	ph := harness.Help(t, blockade.New(nil), cfg).PluginHelp[blockade.Name]
	if len(ph.Commands) != 0 || strings.Join(ph.Events, ",") != "pull_request" || !strings.Contains(ph.Description, blockade.Label) {
		t.Errorf("help %+v", ph)
	}
	if got := ph.Config["demo"]; got != "Blocks paths matching ^docs/ except ^docs/drafts/: Frozen." {
		t.Errorf("config help %q", got)
	}
}
