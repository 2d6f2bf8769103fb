package plugins

import (
	"sort"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
)

// CommandHelp documents one command. Field names follow Prow's plugin help
// JSON, so existing command-help pages can read it.
type CommandHelp struct {
	Usage       string
	Featured    bool
	Description string
	Examples    []string
	WhoCanUse   string
}

// PluginHelp documents one plugin.
type PluginHelp struct {
	Description string
	Config      map[string]string `json:",omitempty"`
	Events      []string
	Commands    []CommandHelp
}

// Help is what /plugin-help serves: which plugins each repository enables
// and what each plugin does.
type Help struct {
	AllRepos            []string
	RepoPlugins         map[string][]string
	RepoExternalPlugins map[string][]string
	PluginHelp          map[string]PluginHelp
	ExternalPluginHelp  map[string]PluginHelp
}

// Help builds the help for every configured repository and every plugin.
func (d *Dispatcher) Help() Help {
	cfg := d.opts.PluginConfig()
	h := Help{RepoPlugins: map[string][]string{}, RepoExternalPlugins: map[string][]string{}, PluginHelp: map[string]PluginHelp{}, ExternalPluginHelp: map[string]PluginHelp{}}
	var keys []string
	if cfg != nil {
		for key, entry := range cfg.Plugins {
			keys = append(keys, key)
			h.RepoPlugins[key] = append([]string(nil), entry.Plugins...)
		}
		for key, exts := range cfg.ExternalPlugins {
			for _, ext := range exts {
				h.RepoExternalPlugins[key] = append(h.RepoExternalPlugins[key], ext.Name)
				h.ExternalPluginHelp[ext.Name] = PluginHelp{Description: "External plugin at " + endpointOf(ext), Events: ext.Events}
			}
		}
	}
	sort.Strings(keys)
	h.AllRepos = keys
	for name, p := range d.plugins {
		h.PluginHelp[name] = helpFor(p, cfg, keys)
	}
	return h
}

func endpointOf(ext pluginconfig.ExternalPlugin) string {
	if ext.Endpoint != "" {
		return ext.Endpoint
	}
	return "http://" + ext.Name
}

func helpFor(p Plugin, cfg *pluginconfig.Configuration, repos []string) PluginHelp {
	ph := PluginHelp{Description: p.Description, Events: p.events()}
	if p.ConfigHelp != nil && cfg != nil {
		ph.Config = p.ConfigHelp(cfg, repos)
	}
	for _, c := range p.Commands {
		usage := c.Usage
		if usage == "" {
			usage = "/" + c.Name
		}
		ph.Commands = append(ph.Commands, CommandHelp{Usage: usage, Featured: c.Featured, Description: c.Description, Examples: c.Examples, WhoCanUse: c.WhoCanUse})
	}
	return ph
}

// RepoHelp builds a ConfigHelp for each of orgRepos (org/repo, or an org
// alone, when repo is empty) from what help says of it, leaving out those
// it says nothing of.
func RepoHelp(orgRepos []string, help func(org, repo string) string) map[string]string {
	out := map[string]string{}
	for _, orgRepo := range orgRepos {
		org, repo, _ := strings.Cut(orgRepo, "/")
		if text := help(org, repo); text != "" {
			out[orgRepo] = text
		}
	}
	return out
}
