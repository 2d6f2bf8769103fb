package config

import (
	"slices"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/orgrepo"
)

func durationDefault(d **metav1.Duration, def time.Duration) {
	if *d == nil {
		*d = &metav1.Duration{Duration: def}
	}
}

// ApplyDefaults fills what config.yaml leaves out with Prow's defaults.
func (c *ProwConfig) ApplyDefaults() {
	if c.ProwJobNamespace == "" {
		c.ProwJobNamespace = "default"
	}
	if c.PodNamespace == "" {
		c.PodNamespace = "default"
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	durationDefault(&c.DefaultJobTimeout, 24*time.Hour)
	if c.GitHubOptions.LinkURLFromConfig == "" {
		c.GitHubOptions.LinkURLFromConfig = "https://github.com"
	}
	p := &c.Plank
	durationDefault(&p.PodPendingTimeout, 10*time.Minute)
	durationDefault(&p.PodRunningTimeout, 48*time.Hour)
	durationDefault(&p.PodUnscheduledTimeout, 5*time.Minute)
	if p.MaxRevivals == nil {
		n := 3
		p.MaxRevivals = &n
	}
	if p.MaxGoroutines == 0 {
		p.MaxGoroutines = 20
	}
	// The legacy map becomes entries, least specific first.
	for _, key := range mapkeys.Sorted(p.DefaultDecorationConfigsMap) {
		repo := key
		if repo == "*" {
			repo = ""
		}
		p.DefaultDecorationConfigs = append(p.DefaultDecorationConfigs, &DefaultDecorationConfigEntry{OrgRepo: repo, Config: p.DefaultDecorationConfigsMap[key]})
	}
	p.DefaultDecorationConfigsMap = nil

	s := &c.Sinker
	durationDefault(&s.ResyncPeriod, time.Hour)
	durationDefault(&s.MaxProwJobAge, 7*24*time.Hour)
	durationDefault(&s.MaxPodAge, 24*time.Hour)
	if s.TerminatedPodTTL == nil {
		s.TerminatedPodTTL = &metav1.Duration{Duration: s.MaxPodAge.Duration}
	}
	durationDefault(&c.Horologium.TickInterval, time.Minute)
	c.Tide.applyDefaults()
	durationDefault(&c.Deck.TideUpdatePeriod, 10*time.Second)
	if len(c.GitHubReporter.JobTypesToReport) == 0 {
		c.GitHubReporter.JobTypesToReport = []prowapi.ProwJobType{prowapi.PresubmitJob, prowapi.PostsubmitJob}
	}
	for key, sr := range c.SlackReporterConfigs {
		if sr.ReportTemplate == "" {
			sr.ReportTemplate = DefaultSlackReportTemplate
			c.SlackReporterConfigs[key] = sr
		}
	}
}

// repoMatches says whether a config key ("", "*", "org" or "org/repo")
// covers repo ("org/repo"), and how specifically (0 = all, 1 = org, 2 =
// repo); -1 when it does not.
func repoMatches(key, repo string) int {
	switch {
	case key == "" || key == "*":
		return 0
	case key == repo:
		return 2
	case !strings.Contains(key, "/") && strings.HasPrefix(repo, key+"/"):
		return 1
	}
	return -1
}

// bySpecificity returns the indexes of the entries matching repo and
// cluster, most specific first: a repo beats an org beats everything, and
// at the same level a named cluster beats any cluster.
func bySpecificity(n int, entry func(i int) (orgRepo, cluster string), repo, cluster string) []int {
	type match struct{ i, score int }
	var matches []match
	for i := 0; i < n; i++ {
		key, c := entry(i)
		r := repoMatches(key, repo)
		named := c != "" && c != "*"
		if r < 0 || (named && c != cluster) {
			continue
		}
		score := r * 2
		if named {
			score++
		}
		matches = append(matches, match{i, score})
	}
	sort.SliceStable(matches, func(a, b int) bool { return matches[a].score > matches[b].score })
	out := make([]int, len(matches))
	for k, m := range matches {
		out[k] = m.i
	}
	return out
}

// GuessDefaultDecorationConfig merges every default_decoration_config_entries
// entry matching repo ("org/repo") and cluster, so the most specific entry
// wins field by field.
func (p *Plank) GuessDefaultDecorationConfig(repo, cluster string) *prowapi.DecorationConfig {
	entry := func(i int) (string, string) {
		return p.DefaultDecorationConfigs[i].OrgRepo, p.DefaultDecorationConfigs[i].Cluster
	}
	var merged *prowapi.DecorationConfig
	for _, i := range bySpecificity(len(p.DefaultDecorationConfigs), entry, repo, cluster) {
		merged = merged.ApplyDefault(p.DefaultDecorationConfigs[i].Config)
	}
	return merged
}

// JobURLPrefix is the job_url_prefix_config value for org/repo.
func (p *Plank) JobURLPrefix(org, repo string) string {
	v, _ := orgrepo.Lookup(p.JobURLPrefixConfig, org, repo)
	return v
}

// ReportTemplateFor is the report template text for org/repo.
func (p *Plank) ReportTemplateFor(org, repo string) string {
	if v, ok := orgrepo.Lookup(p.ReportTemplateStrings, org, repo); ok {
		return v
	}
	return p.ReportTemplateString
}

// DefaultTenantID is the tenant of a job that neither its own
// prowjob_defaults nor a prowjob_default_entries entry gives one, as in
// Prow.
const DefaultTenantID = "GlobalDefaultID"

// defaultEntryMatches says whether a prowjob_default_entries entry's
// repo ("", "*", "org" or "org/repo") and cluster ("", "*" or a name)
// cover a job of repo ("org/repo", "" for a periodic without extra_refs)
// on cluster.
func defaultEntryMatches(entryRepo, entryCluster, repo, cluster string) bool {
	org, _, _ := strings.Cut(repo, "/")
	repoOK := entryRepo == "" || entryRepo == "*" || entryRepo == repo || entryRepo == org
	clusterOK := entryCluster == "" || entryCluster == "*" || entryCluster == cluster
	return repoOK && clusterOK
}

// ProwJobDefaultFor is the ProwJob default of a job of repo ("org/repo")
// on cluster whose own prowjob_defaults are def, as Prow works it out:
// every matching prowjob_default_entries entry in order, a later one
// overriding the fields an earlier one set, then the job's own fields
// over them all; the tenant is DefaultTenantID when none gives one.
func (c *ProwConfig) ProwJobDefaultFor(repo, cluster string, def *prowapi.ProwJobDefault) *prowapi.ProwJobDefault {
	out := &prowapi.ProwJobDefault{}
	over := func(d *prowapi.ProwJobDefault) {
		if d.TenantID != "" {
			out.TenantID = d.TenantID
		}
		if d.ResultStoreConfig != nil {
			rc := *d.ResultStoreConfig
			out.ResultStoreConfig = &rc
		}
	}
	for _, e := range c.ProwJobDefaultEntries {
		if e != nil && e.Config != nil && defaultEntryMatches(e.OrgRepo, e.Cluster, repo, cluster) {
			over(e.Config)
		}
	}
	if def != nil {
		over(def)
	}
	if out.TenantID == "" {
		out.TenantID = DefaultTenantID
	}
	return out
}

// RerunAuthConfigFor returns the rerun permissions of org/repo.
func (d *Deck) RerunAuthConfigFor(org, repo string) prowapi.RerunAuthConfig {
	v, _ := orgrepo.Lookup(d.RerunAuthConfigs, org, repo)
	return v
}

// SlackFor returns the Slack reporting of org/repo.
func (s SlackReporterConfigs) SlackFor(org, repo string) (SlackReporter, bool) {
	return orgrepo.Lookup(s, org, repo)
}

// EnabledFor says whether in-repo configuration is on for org/repo.
func (c *InRepoConfig) EnabledFor(org, repo string) bool {
	if v, ok := orgrepo.Lookup(c.Enabled, org, repo); ok && v != nil {
		return *v
	}
	return false
}

// ShouldReport says whether jobs of type t report to GitHub.
func (g GitHubReporter) ShouldReport(t prowapi.ProwJobType) bool {
	return slices.Contains(g.JobTypesToReport, t)
}

// applyDefaults fills tide's periods, goroutines and speculation.
func (t *Tide) applyDefaults() {
	durationDefault(&t.SyncPeriod, time.Minute)
	if t.StatusUpdatePeriod == nil {
		t.StatusUpdatePeriod = &metav1.Duration{Duration: t.SyncPeriod.Duration}
	}
	if t.MaxGoroutines == 0 {
		t.MaxGoroutines = 20
	}
	if t.SpeculativeDepth == nil {
		one := 1
		t.SpeculativeDepth = &one
	}
}
