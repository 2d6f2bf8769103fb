package config

import (
	"fmt"
	"strings"

	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/yamlconf"
)

// Setting is a config.yaml setting the bot reads, so that a Prow
// configuration loads unchanged, but does not act on yet.
type Setting struct {
	// Path is the setting's place in config.yaml, one element per key.
	Path []string
	// Why says what is missing for it to take effect.
	Why string
}

// Name is the setting's dotted path, as the docs and warnings write it.
func (s Setting) Name() string { return strings.Join(s.Path, ".") }

// UnimplementedSettings are the config.yaml settings accepted and not
// acted on. Each one present in a configuration is a warning of
// checkconfig (an error with --strict) and a start-up log line of every
// component: a setting that silently does nothing is worse than a refusal.
// docs/configuration.md lists them (a test keeps the two in step).
var UnimplementedSettings = []Setting{
	{[]string{"push_gateway"}, "metrics are served on /metrics, not pushed"},
	{[]string{"scheduler"}, "jobs go to their configured cluster; there is no scheduler"},
	{[]string{"managed_webhooks"}, "webhooks are not managed (Prow's hmac tool is not part of this bot)"},
	{[]string{"owners_dir_denylist"}, "OWNERS files are read from every directory"},
	{[]string{"disabled_clusters"}, "jobs still go to clusters listed here"},
	{[]string{"status_error_link"}, "status descriptions do not link to it"},
	{[]string{"gerrit"}, "Gerrit is not supported"},
	{[]string{"moonraker"}, "there is no moonraker"},
	{[]string{"jenkins_operators"}, "jobs run on Kubernetes or as local processes only"},
	{[]string{"pubsub_subscriptions"}, "jobs are not triggered from Pub/Sub"},
	{[]string{"pubsub_triggers"}, "jobs are not triggered from Pub/Sub"},
	{[]string{"pipeline"}, "Tekton pipelines are not run"},
	{[]string{"plank", "build_cluster_status_file"}, "build clusters' reachability is not reported to a file"},
	{[]string{"plank", "jobURLPrefixDisableAppendStorageProvider"}, "job URLs always carry the storage provider"},
	{[]string{"deck", "spyglass", "viewers"}, "deck shows its built-in lenses whatever is configured"},
	{[]string{"deck", "spyglass", "size_limit"}, "logs are streamed in ranges whatever their size"},
	{[]string{"deck", "spyglass", "gcs_browser_prefix"}, "deck links to its own artifact browser"},
	{[]string{"deck", "spyglass", "gcs_browser_prefixes"}, "deck links to its own artifact browser"},
	{[]string{"deck", "spyglass", "gcs_browser_prefixes_by_bucket"}, "deck links to its own artifact browser"},
	{[]string{"deck", "spyglass", "testgrid_config"}, "deck does not link to TestGrid"},
	{[]string{"deck", "spyglass", "testgrid_root"}, "deck does not link to TestGrid"},
	{[]string{"deck", "spyglass", "announcement"}, "deck shows no announcement"},
	{[]string{"deck", "spyglass", "hide_pr_history_link"}, "deck always links PR history"},
	{[]string{"deck", "spyglass", "pr_history_link_template"}, "deck links its own PR history"},
	{[]string{"deck", "external_agent_logs"}, "jobs of other agents are not linked"},
	{[]string{"deck", "branding"}, "deck keeps its own look"},
	{[]string{"deck", "google_analytics"}, "deck sends nothing to Google Analytics"},
	{[]string{"deck", "skip_storage_path_validation"}, "artifact paths are always checked against the job's bucket"},
}

// unimplemented returns one warning per unimplemented setting present in
// doc, at its line in file.
func unimplemented(file string, doc *yamlconf.Document, settings []Setting) []yamlconf.Problem {
	var out []yamlconf.Problem
	for _, s := range settings {
		path := make([]any, len(s.Path))
		for i, p := range s.Path {
			path[i] = p
		}
		if line := doc.KeyLine(path...); line > 0 {
			out = append(out, yamlconf.Errorf(file, line, "%s is accepted but not implemented, so it has no effect: %s", s.Name(), s.Why))
		}
	}
	return out
}

// unimplementedPlugins returns one warning per plugin that plugins.yaml
// enables and that is one of Prow's but not built into this binary,
// naming where it is enabled.
func unimplementedPlugins(file string, enabled map[string][]string, implemented map[string]bool) []yamlconf.Problem {
	var out []yamlconf.Problem
	for _, name := range mapkeys.Sorted(enabled) {
		if implemented[name] {
			continue
		}
		where := enabled[name]
		shown := where
		if len(shown) > 3 {
			shown = shown[:3]
		}
		more := ""
		if len(where) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(where)-len(shown))
		}
		out = append(out, yamlconf.Problem{File: file, Message: fmt.Sprintf(
			"plugin %q is one of Prow's but not implemented by this bot, so it does nothing where it is enabled (%s%s)",
			name, strings.Join(shown, ", "), more)})
	}
	return out
}
