package harness

import (
	"context"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/test/testlog"
)

// Help is the plugin help (/plugin-help, which deck's command help page
// reads) a dispatcher of p gives under cfg.
func Help(t testing.TB, p plugins.Plugin, cfg *pluginconfig.Configuration) plugins.Help {
	t.Helper()
	d, err := plugins.NewDispatcher(plugins.DispatcherOptions{Plugins: []plugins.Plugin{p},
		PluginConfig: func() *pluginconfig.Configuration { return cfg },
		BotLogin:     func(context.Context) (string, error) { return Bot, nil }, Logger: testlog.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	return d.Help()
}
