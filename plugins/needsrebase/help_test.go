package needsrebase_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/needsrebase"
	"github.com/prowbot/prow/test/testlog"
)

// The plugin help (/plugin-help, which deck's command help page reads)
// lists the plugin for the repositories that enable it, with the events
// it handles.
func TestPluginHelpListsIt(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{"needs-rebase"}}}}
	d, err := plugins.NewDispatcher(plugins.DispatcherOptions{Plugins: []plugins.Plugin{needsrebase.New(nil)},
		PluginConfig: func() *pluginconfig.Configuration { return cfg },
		BotLogin:     func(context.Context) (string, error) { return "the-bot", nil }, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	h := d.Help()
	if !reflect.DeepEqual(h.RepoPlugins["demo"], []string{needsrebase.Name}) {
		t.Errorf("demo's plugins: %v", h.RepoPlugins["demo"])
	}
	ph := h.PluginHelp[needsrebase.Name]
	if !strings.Contains(ph.Description, needsrebase.Label) || !reflect.DeepEqual(ph.Events, []string{"pull_request", "push"}) || len(ph.Commands) != 0 {
		t.Errorf("help: %+v", ph)
	}
}
