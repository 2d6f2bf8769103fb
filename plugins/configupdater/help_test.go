package configupdater_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/configupdater"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help lists the plugin with its event and where each mapped
// file goes.
func TestConfigUpdaterHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo/hello": {Plugins: []string{configupdater.Name}}},
		ConfigUpdater: pluginconfig.ConfigUpdater{Maps: map[string]pluginconfig.ConfigMapSpec{
			"prow/config.yaml": {Name: "config"},
			"prow/jobs/*.yaml": {Name: "job-config", Clusters: map[string][]string{"build": {"ci"}}},
		}}}
	h := harness.Help(t, configupdater.New(nil, nil), cfg)
	if !reflect.DeepEqual(h.RepoPlugins["demo/hello"], []string{configupdater.Name}) {
		t.Fatalf("demo/hello's plugins: %v", h.RepoPlugins)
	}
	ph := h.PluginHelp[configupdater.Name]
	if !strings.Contains(ph.Description, "ConfigMaps") || !reflect.DeepEqual(ph.Events, []string{"pull_request"}) || len(ph.Commands) != 0 {
		t.Errorf("help: %+v", ph)
	}
	for _, want := range []string{"prow/config.yaml → ConfigMap config in the default namespace (cluster default)", "prow/jobs/*.yaml → ConfigMap job-config in ci (cluster build)"} {
		if !strings.Contains(ph.Config[""], want) {
			t.Errorf("config help %q lacks %q", ph.Config[""], want)
		}
	}
}
