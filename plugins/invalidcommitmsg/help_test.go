package invalidcommitmsg_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/invalidcommitmsg"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help lists the plugin with its event, the label, and the
// checks a repository turned off.
func TestInvalidCommitMsgHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{invalidcommitmsg.Name}}},
		InvalidCommitMsg: []pluginconfig.InvalidCommitMsg{{Repos: []string{"demo"}, Checks: []pluginconfig.InvalidCommitCheck{{Name: invalidcommitmsg.CheckFixupPrefix, Disabled: true}}}}}
	h := harness.Help(t, invalidcommitmsg.New(nil), cfg)
	if !reflect.DeepEqual(h.RepoPlugins["demo"], []string{invalidcommitmsg.Name}) {
		t.Fatalf("demo's plugins: %v", h.RepoPlugins["demo"])
	}
	ph := h.PluginHelp[invalidcommitmsg.Name]
	if !strings.Contains(ph.Description, invalidcommitmsg.Label) || !reflect.DeepEqual(ph.Events, []string{"pull_request"}) || len(ph.Commands) != 0 {
		t.Errorf("help: %+v", ph)
	}
	if !strings.Contains(ph.Config["demo"], invalidcommitmsg.CheckFixupPrefix) {
		t.Errorf("config help %q", ph.Config)
	}
}
