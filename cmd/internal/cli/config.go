package cli

import (
	"errors"

	"github.com/spf13/pflag"

	"github.com/prowbot/prow/config"
)

// ConfigFlags are the flags that say where the configuration is, named
// as Prow's: --config-path, --job-config-path and, for the commands that
// read plugins.yaml, --plugin-config.
type ConfigFlags struct {
	ConfigPath       string
	JobConfigPath    string
	PluginConfigPath string
}

// AddFlags adds --config-path and --job-config-path to f, and
// --plugin-config too when plugins is true.
func (c *ConfigFlags) AddFlags(f *pflag.FlagSet, plugins bool) {
	f.StringVar(&c.ConfigPath, "config-path", "", "path to config.yaml")
	f.StringVar(&c.JobConfigPath, "job-config-path", "", "path to a job config file or a directory of them")
	if plugins {
		f.StringVar(&c.PluginConfigPath, "plugin-config", "", "path to plugins.yaml")
	}
}

// Validate refuses a missing --config-path, and a missing --plugin-config
// when plugins is true.
func (c ConfigFlags) Validate(plugins bool) error {
	switch {
	case c.ConfigPath == "":
		return errors.New("--config-path is required")
	case plugins && c.PluginConfigPath == "":
		return errors.New("--plugin-config is required")
	}
	return nil
}

// Options are the load options that read the files the flags name.
func (c ConfigFlags) Options() config.Options {
	return config.Options{ConfigPath: c.ConfigPath, JobConfigPath: c.JobConfigPath, PluginConfigPath: c.PluginConfigPath}
}
