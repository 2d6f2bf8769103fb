package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/prow/yamlconf"
)

func TestEveryDocumentedConfigFieldIsKnown(t *testing.T) {
	path := filepath.Join("testdata", "prow-config-documented.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c ProwConfig
	unknown, err := yamlconf.Unmarshal(path, data, &c)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unknown {
		t.Errorf("documented field not typed: %s", u)
	}
}

func TestProwConfigValidation(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want string
	}{
		{"a bad job URL template", "plank:\n  job_url_template: '{{.Spec.Job'\n", "plank.job_url_template"},
		{"a bad log level", "log_level: loud\n", "log_level"},
		{"a negative duration", "sinker:\n  resync_period: -1h\n", "sinker.resync_period: -1h0m0s must not be negative"},
		{"labels both required and forbidden", "tide:\n  queries:\n  - repos: [o/r]\n    labels: [lgtm]\n    missingLabels: [lgtm]\n", `tide.queries[0]: label "lgtm" is both required and forbidden`},
		{"a bad merge method", "tide:\n  merge_method:\n    o/r: fast-forward\n", `merge method "fast-forward" is not one of`},
		{"a bad branch merge method", "tide:\n  merge_method:\n    o:\n      r:\n        '^main$': squish\n", `merge method "squish"`},
		{"a bad lens regex", "deck:\n  spyglass:\n    lenses:\n    - lens: {name: buildlog}\n      required_files: ['(']\n", "deck.spyglass.lenses[0].required_files[0]"},
		{"a bad path strategy", "plank:\n  default_decoration_config_entries:\n  - config:\n      gcs_configuration: {path_strategy: odd}\n", `path_strategy "odd"`},
		{"include and exclude", "branch-protection:\n  include: [a]\n  exclude: [b]\n", "include and exclude are mutually exclusive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c ProwConfig
			if _, err := yamlconf.Unmarshal("config.yaml", []byte(tc.yaml), &c); err != nil {
				t.Fatal(err)
			}
			c.ApplyDefaults()
			errs := c.Validate()
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
				t.Errorf("errors = %v, want one containing %q", errs, tc.want)
			}
		})
	}
}

func TestGuessDefaultDecorationConfigMostSpecificWins(t *testing.T) {
	yaml := `plank:
  default_decoration_config_entries:
  - config:
      timeout: 2h
      gcs_configuration: {bucket: all, path_strategy: explicit}
  - repo: org
    config:
      timeout: 1h
  - repo: org/repo
    cluster: special
    config:
      gcs_configuration: {bucket: special}
  - cluster: special
    config:
      grace_period: 5s
  default_decoration_configs:
    org/legacy:
      timeout: 3h
`
	var c ProwConfig
	if _, err := yamlconf.Unmarshal("config.yaml", []byte(yaml), &c); err != nil {
		t.Fatal(err)
	}
	c.ApplyDefaults()
	cases := []struct {
		repo, cluster  string
		timeout, grace string
		bucket         string
	}{
		{"other/x", "default", "2h0m0s", "0s", "all"},
		{"org/x", "default", "1h0m0s", "0s", "all"},
		{"org/repo", "special", "1h0m0s", "5s", "special"},
		{"other/x", "special", "2h0m0s", "5s", "all"},
		{"org/legacy", "default", "3h0m0s", "0s", "all"},
	}
	for _, tc := range cases {
		t.Run(tc.repo+"@"+tc.cluster, func(t *testing.T) {
			d := c.Plank.GuessDefaultDecorationConfig(tc.repo, tc.cluster)
			if got := d.Timeout.Get().String(); got != tc.timeout {
				t.Errorf("timeout = %s, want %s", got, tc.timeout)
			}
			if got := d.GracePeriod.Get().String(); got != tc.grace {
				t.Errorf("grace = %s, want %s", got, tc.grace)
			}
			if d.GCSConfiguration.Bucket != tc.bucket || d.GCSConfiguration.PathStrategy != "explicit" {
				t.Errorf("gcs = %+v", d.GCSConfiguration)
			}
		})
	}
}

func TestProwConfigLookups(t *testing.T) {
	cfg := loadTestInfra(t)
	if got := cfg.Plank.JobURLPrefix("kubernetes", "kubernetes"); got != "https://prow.k8s.io/view/" {
		t.Errorf("JobURLPrefix = %q", got)
	}
	if got := cfg.Plank.ReportTemplateFor("kubernetes", "kubernetes"); !strings.Contains(got, "Full PR test history") {
		t.Errorf("ReportTemplateFor = %q", got)
	}
	if cfg.Plank.JobURLTemplate() == nil {
		t.Error("job_url_template should be compiled")
	}
	if !cfg.GitHubReporter.ShouldReport("presubmit") || cfg.GitHubReporter.ShouldReport("periodic") {
		t.Error("github_reporter defaults: presubmit and postsubmit only")
	}
	if got := cfg.Sinker.TerminatedPodTTL.Duration.String(); got != "30m0s" {
		t.Errorf("terminated_pod_ttl = %s", got)
	}
	if got := cfg.Horologium.TickInterval.Duration.String(); got != "1m0s" {
		t.Errorf("horologium.tick_interval default = %s", got)
	}
}
