package cherrypickunapproved_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/cherrypickunapproved"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help lists the plugin with its event, the labels and the
// configured branches and comment.
func TestCherryPickUnapprovedHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{cherrypickunapproved.Name}}},
		CherryPickUnapproved: pluginconfig.CherryPickUnapproved{BranchRegexp: `^v\d+$`, Comment: "Ask the release team."}}
	h := harness.Help(t, cherrypickunapproved.New(nil), cfg)
	if !reflect.DeepEqual(h.RepoPlugins["demo"], []string{cherrypickunapproved.Name}) {
		t.Fatalf("demo's plugins: %v", h.RepoPlugins["demo"])
	}
	ph := h.PluginHelp[cherrypickunapproved.Name]
	if !strings.Contains(ph.Description, cherrypickunapproved.Unapproved) || !reflect.DeepEqual(ph.Events, []string{"pull_request"}) || len(ph.Commands) != 0 {
		t.Errorf("help: %+v", ph)
	}
	for _, want := range []string{`^v\\d+$`, "Ask the release team."} {
		if !strings.Contains(ph.Config[""], want) {
			t.Errorf("config help %q lacks %q", ph.Config[""], want)
		}
	}
}
