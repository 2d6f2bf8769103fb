package config

import (
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/yamlconf"
)

// Config is config.yaml and the job configuration together.
type Config struct {
	ProwConfig `json:",inline"`
	JobConfig  `json:",inline"`

	// presetIdx is set while every job is defaulted at load.
	presetIdx *presetIndex
}

// Snapshot is one consistent load of every configuration file.
type Snapshot struct {
	Config  *Config
	Plugins *pluginconfig.Configuration
}

// Getter returns the configuration in force. It never returns nil once a
// load has succeeded, and is safe to call from any goroutine.
type Getter func() *Config

// PluginsGetter returns the plugin configuration in force.
type PluginsGetter func() *pluginconfig.Configuration

// Problems is a list of configuration errors; as an error it reads one
// problem per line.
type Problems []yamlconf.Problem

func (p Problems) Error() string {
	lines := make([]string, len(p))
	for i, prob := range p {
		lines[i] = prob.String()
	}
	return strings.Join(lines, "\n")
}

// Summary counts what a configuration holds.
type Summary struct {
	Presubmits   int
	Postsubmits  int
	Periodics    int
	Repositories int
}

// Summarize counts the jobs and the repositories that have presubmits or
// postsubmits.
func (c *Config) Summarize() Summary {
	s := Summary{Periodics: len(c.Periodics), Repositories: c.Repositories()}
	for _, jobs := range c.Presubmits {
		s.Presubmits += len(jobs)
	}
	for _, jobs := range c.Postsubmits {
		s.Postsubmits += len(jobs)
	}
	return s
}
