package checkconfig

import (
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/yamlconf"
)

// load loads the configuration once, as a short-lived process.
func load(o config.Options) (*config.Snapshot, []yamlconf.Problem, error) {
	return config.Load(o)
}
