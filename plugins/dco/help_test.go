package dco_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/dco"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help (/plugin-help, which deck's command help page reads)
// lists the plugin, its events, /check-dco and the repository's settings.
func TestDCOHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{dco.Name}}},
		DCO: map[string]*pluginconfig.DCO{"demo": {SkipDCOCheckForMembers: true, TrustedApps: []string{"dependabot"}, ContributingRepo: "demo/community"}}}
	h := harness.Help(t, dco.New(nil), cfg)
	if !reflect.DeepEqual(h.RepoPlugins["demo"], []string{dco.Name}) {
		t.Fatalf("demo's plugins: %v", h.RepoPlugins["demo"])
	}
	ph := h.PluginHelp[dco.Name]
	if len(ph.Commands) != 1 || ph.Commands[0].Usage != "/check-dco" || ph.Commands[0].WhoCanUse != "Anyone" {
		t.Errorf("commands %+v", ph.Commands)
	}
	if !strings.Contains(ph.Description, dco.LabelNo) || !reflect.DeepEqual(ph.Events, []string{"issue_comment", "pull_request_review", "pull_request_review_comment", "pull_request"}) {
		t.Errorf("help: %+v", ph)
	}
	for _, want := range []string{"members of demo", "dependabot", "https://github.com/demo/community/blob/master/CONTRIBUTING.md"} {
		if !strings.Contains(ph.Config["demo"], want) {
			t.Errorf("config help %q lacks %q", ph.Config["demo"], want)
		}
	}
}
