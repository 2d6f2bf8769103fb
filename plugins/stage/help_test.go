package stage_test

import (
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/plugins/stage"
	"github.com/prowbot/prow/test/harness"
)

// The plugin help lists /stage and /remove-stage with examples, usable by
// anyone.
func TestStageHelp(t *testing.T) {
	cfg := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"demo": {Plugins: []string{stage.Name}}}}
	ph := harness.Help(t, stage.New(nil), cfg).PluginHelp[stage.Name]
	if len(ph.Commands) != 2 {
		t.Fatalf("commands %+v", ph.Commands)
	}
	for i, usage := range []string{"/stage alpha|beta|stable", "/remove-stage alpha|beta|stable"} {
		c := ph.Commands[i]
		if c.Usage != usage || len(c.Examples) == 0 || c.WhoCanUse != "Anyone." {
			t.Errorf("command %d: %+v", i, c)
		}
	}
}
