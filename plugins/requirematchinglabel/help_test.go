package requirematchinglabel_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/requirematchinglabel"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help (served at /plugin-help and shown by deck's command
// help) lists the plugin, its events, command and each repo's entries.
func TestRequireMatchingLabelHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo/hello": {Plugins: []string{requirematchinglabel.Name}}},
		RequireMatchingLabel: []pluginconfig.RequireMatchingLabel{
			{Org: "demo", PRs: true, Issues: true, Regexp: "^kind/", MissingLabel: "needs-kind"},
			{Org: "demo", Repo: "other", Issues: true, Regexp: "^sig/", MissingLabel: "needs-sig"},
		}}
	h := harness.Help(t, requirematchinglabel.New(nil), cfg)
	ph := h.PluginHelp[requirematchinglabel.Name]
	if len(ph.Commands) != 1 || ph.Commands[0].Usage != "/check-required-labels" {
		t.Errorf("commands %+v", ph.Commands)
	}
	got := ph.Config["demo/hello"]
	if !strings.Contains(got, `"needs-kind"`) || strings.Contains(got, "needs-sig") {
		t.Errorf("config help for demo/hello %q: want the kind entry only", got)
	}
	events := strings.Join(ph.Events, ",")
	if !strings.Contains(events, "pull_request") || !strings.Contains(events, "issues") {
		t.Errorf("events %v", ph.Events)
	}
}
