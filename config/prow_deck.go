package config

import (
	"encoding/json"
	"fmt"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Deck configures the dashboard.
type Deck struct {
	Spyglass                  Spyglass                           `json:"spyglass,omitempty"`
	TideUpdatePeriod          *metav1.Duration                   `json:"tide_update_period,omitempty"`
	HiddenRepos               []string                           `json:"hidden_repos,omitempty"`
	ExternalAgentLogs         []ExternalAgentLog                 `json:"external_agent_logs,omitempty"`
	Branding                  *Branding                          `json:"branding,omitempty"`
	GoogleAnalytics           string                             `json:"google_analytics,omitempty"`
	RerunAuthConfigs          map[string]prowapi.RerunAuthConfig `json:"rerun_auth_configs,omitempty"`
	DefaultRerunAuthConfigs   []*DefaultRerunAuthConfigEntry     `json:"default_rerun_auth_configs,omitempty"`
	SkipStoragePathValidation *bool                              `json:"skip_storage_path_validation,omitempty"`
	AdditionalAllowedBuckets  []string                           `json:"additional_allowed_buckets,omitempty"`
}

// Spyglass configures the artifact viewer.
type Spyglass struct {
	Lenses                     []LensFileConfig    `json:"lenses,omitempty"`
	Viewers                    map[string][]string `json:"viewers,omitempty"`
	SizeLimit                  int64               `json:"size_limit,omitempty"`
	GCSBrowserPrefix           string              `json:"gcs_browser_prefix,omitempty"`
	GCSBrowserPrefixes         map[string]string   `json:"gcs_browser_prefixes,omitempty"`
	GCSBrowserPrefixesByBucket map[string]string   `json:"gcs_browser_prefixes_by_bucket,omitempty"`
	TestGridConfig             string              `json:"testgrid_config,omitempty"`
	TestGridRoot               string              `json:"testgrid_root,omitempty"`
	HidePRHistLink             bool                `json:"hide_pr_history_link,omitempty"`
	PRHistLinkTemplate         string              `json:"pr_history_link_template,omitempty"`
	BucketAliases              map[string]string   `json:"bucket_aliases,omitempty"`
	Announcement               string              `json:"announcement,omitempty"`
}

// LensFileConfig selects a lens by the artifacts present.
type LensFileConfig struct {
	RequiredFiles []string          `json:"required_files,omitempty"`
	OptionalFiles []string          `json:"optional_files,omitempty"`
	Lens          LensConfig        `json:"lens"`
	RemoteConfig  *LensRemoteConfig `json:"remote_config,omitempty"`
}

// LensConfig names a lens and holds its free-form configuration.
type LensConfig struct {
	Name   string          `json:"name"`
	Config json.RawMessage `json:"config,omitempty"`
}

// LensRemoteConfig points at a lens served elsewhere.
type LensRemoteConfig struct {
	Endpoint   string `json:"endpoint,omitempty"`
	StaticRoot string `json:"static_root,omitempty"`
	Title      string `json:"title,omitempty"`
	Priority   *uint  `json:"priority,omitempty"`
	HideTitle  *bool  `json:"hide_title,omitempty"`
}

// ExternalAgentLog links the logs of jobs run by other agents.
type ExternalAgentLog struct {
	Agent       string `json:"agent,omitempty"`
	Selector    string `json:"selector,omitempty"`
	URLTemplate string `json:"url_template,omitempty"`
}

// Branding customizes the dashboard's look.
type Branding struct {
	Logo            string `json:"logo,omitempty"`
	Favicon         string `json:"favicon,omitempty"`
	BackgroundColor string `json:"background_color,omitempty"`
	HeaderColor     string `json:"header_color,omitempty"`
}

// DefaultRerunAuthConfigEntry is a rerun permission default for a repo and
// cluster.
type DefaultRerunAuthConfigEntry struct {
	OrgRepo string                   `json:"repo,omitempty"`
	Cluster string                   `json:"cluster,omitempty"`
	Config  *prowapi.RerunAuthConfig `json:"rerun_auth_configs,omitempty"`
}

// SpyglassLenses are the lenses deck has, by the names
// deck.spyglass.lenses gives them (deck/lens keeps them in step).
var SpyglassLenses = []string{"metadata", "buildlog", "junit", "links", "html", "markdown", "coverage", "podinfo"}

// Unsupported names the configured lenses deck skips: remote lenses and
// lenses it does not have.
func (s Spyglass) Unsupported() []string {
	var out []string
	for i, c := range s.Lenses {
		switch {
		case c.RemoteConfig != nil:
			out = append(out, fmt.Sprintf("deck.spyglass.lenses[%d].remote_config (a remote lens)", i))
		case !slices.Contains(SpyglassLenses, c.Lens.Name):
			out = append(out, fmt.Sprintf("deck.spyglass.lenses[%d] (lens %q)", i, c.Lens.Name))
		}
	}
	return out
}

// Unsupported names what the configuration sets that tide and deck
// accept but do not act on, for checkconfig and the start-up log.
func (c *Config) Unsupported() []string {
	return append(c.Tide.Unsupported(), c.Deck.Spyglass.Unsupported()...)
}
