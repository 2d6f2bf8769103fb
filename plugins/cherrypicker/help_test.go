package cherrypicker_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/cherrypicker"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help (served at /plugin-help and shown by deck's command
// help) lists the plugin for the repositories that enable it, with its
// command, events and configuration.
func TestCherrypickerHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{cherrypicker.Name}}},
		Cherrypicker: pluginconfig.Cherrypicker{Labels: []string{"area/release"}, LabelPrefix: "backport/"}}
	h := harness.Help(t, cherrypicker.New(nil, nil), cfg)
	if got := h.RepoPlugins["demo"]; !reflect.DeepEqual(got, []string{cherrypicker.Name}) {
		t.Fatalf("demo's plugins %v", got)
	}
	ph := h.PluginHelp[cherrypicker.Name]
	if len(ph.Commands) != 1 || ph.Commands[0].Usage != "/cherrypick <branch>" || !ph.Commands[0].Featured ||
		!reflect.DeepEqual(ph.Commands[0].Examples, []string{"/cherrypick release-1.0", "/cherry-pick release-2.3"}) {
		t.Errorf("commands %+v", ph.Commands)
	}
	if !strings.Contains(ph.Description, "cherry-pick-<number>-to-<branch>") {
		t.Errorf("description %q", ph.Description)
	}
	if c := ph.Config[""]; !strings.Contains(c, "backport/") || !strings.Contains(c, "area/release") || !strings.Contains(c, "Only members") {
		t.Errorf("config help %q", c)
	}
	if events := strings.Join(ph.Events, ","); !strings.Contains(events, "issue_comment") || !strings.Contains(events, "pull_request") {
		t.Errorf("events %v", ph.Events)
	}
}
