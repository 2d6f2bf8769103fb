package releasenote_test

import (
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/releasenote"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help (served at /plugin-help and shown by deck's command
// help) lists the plugin, its events, commands and configuration.
func TestReleaseNoteHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{releasenote.Name}}},
		ReleaseNote: pluginconfig.ReleaseNote{GuidelinesURL: "https://example.com/notes"}}
	h := harness.Help(t, releasenote.New(nil), cfg)
	if got := h.RepoPlugins["demo"]; len(got) != 1 || got[0] != releasenote.Name {
		t.Fatalf("demo's plugins %v", got)
	}
	ph := h.PluginHelp[releasenote.Name]
	var usages []string
	for _, c := range ph.Commands {
		usages = append(usages, c.Usage)
	}
	if len(usages) != 2 || usages[0] != "/release-note-none" || !strings.HasPrefix(usages[1], "/release-note-edit") {
		t.Errorf("commands %q", usages)
	}
	if !strings.Contains(ph.Config[""], "https://example.com/notes") {
		t.Errorf("config help %q lacks the guidelines URL", ph.Config)
	}
	if !strings.Contains(strings.Join(ph.Events, ","), "pull_request") {
		t.Errorf("events %v", ph.Events)
	}
}
