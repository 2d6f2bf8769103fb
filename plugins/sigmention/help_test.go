package sigmention_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/sigmention"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help says what it labels and shows the regexp in force; it
// has no commands and reads every comment.
func TestSigMentionHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{sigmention.Name}}}}
	cfg.ApplyDefaults()
	ph := harness.Help(t, sigmention.New(nil), cfg).PluginHelp[sigmention.Name]
	if len(ph.Commands) != 0 || !strings.Contains(strings.Join(ph.Events, ","), "issue_comment") {
		t.Errorf("commands %+v, events %v", ph.Commands, ph.Events)
	}
	if !strings.Contains(ph.Config[""], "@kubernetes/sig-") || !strings.Contains(ph.Description, "sig/<name>") {
		t.Errorf("help %+v", ph)
	}
}
