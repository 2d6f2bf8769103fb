package mergecommitblocker_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/mergecommitblocker"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help (/plugin-help, which deck's command help page reads)
// lists the plugin for the repositories that enable it, with the events
// it handles.
func TestPluginHelpListsIt(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{"mergecommitblocker"}}}}
	h := harness.Help(t, mergecommitblocker.New(nil), cfg)
	if !reflect.DeepEqual(h.RepoPlugins["demo"], []string{mergecommitblocker.Name}) {
		t.Errorf("demo's plugins: %v", h.RepoPlugins["demo"])
	}
	ph := h.PluginHelp[mergecommitblocker.Name]
	if !strings.Contains(ph.Description, mergecommitblocker.Label) || !reflect.DeepEqual(ph.Events, []string{"pull_request"}) || len(ph.Commands) != 0 {
		t.Errorf("help: %+v", ph)
	}
}
