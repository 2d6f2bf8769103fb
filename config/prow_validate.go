package config

import (
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/sirupsen/logrus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/labels"
)

// Validate checks config.yaml's settings, compiling its templates, and
// returns one error per problem, each naming the key.
func (c *ProwConfig) Validate() []error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := logrus.ParseLevel(c.LogLevel); err != nil {
		add(fmt.Errorf("log_level: %w", err))
	}
	errs = append(errs, c.Plank.validate()...)
	errs = append(errs, c.validateDurations()...)
	errs = append(errs, c.SlackReporterConfigs.validate()...)
	errs = append(errs, c.Tide.validate()...)
	errs = append(errs, c.Deck.validate()...)
	if len(c.BranchProtection.Include) > 0 && len(c.BranchProtection.Exclude) > 0 {
		add(fmt.Errorf("branch-protection: include and exclude are mutually exclusive"))
	}
	errs = append(errs, c.BranchProtection.validate()...)
	errs = append(errs, c.Gangway.validate()...)
	if r := c.GitHubReporter.ReportAs; r != "" && r != ReportAsStatuses && r != ReportAsCheckRuns {
		add(at(fmt.Errorf("github_reporter.report_as: %q is not one of %s, %s", r, ReportAsStatuses, ReportAsCheckRuns), "github_reporter", "report_as"))
	}
	return errs
}

func (p *Plank) validate() []error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(p.compileTemplates())
	for i, e := range p.DefaultDecorationConfigs {
		if e == nil || e.Config == nil {
			add(fmt.Errorf("plank.default_decoration_config_entries[%d]: config is required", i))
			continue
		}
		if g := e.Config.GCSConfiguration; g != nil && g.PathStrategy != "" && g.PathStrategy != "legacy" && g.PathStrategy != "single" && g.PathStrategy != "explicit" {
			add(fmt.Errorf("plank.default_decoration_config_entries[%d].config.gcs_configuration.path_strategy %q is not one of legacy, single, explicit", i, g.PathStrategy))
		}
		if g := e.Config.GCSConfiguration; g != nil {
			if err := prowapi.ValidateBucket(g.Bucket); err != nil {
				add(at(fmt.Errorf("plank.default_decoration_config_entries[%d].config.gcs_configuration.bucket: %w", i, err),
					"plank", "default_decoration_config_entries", i, "config", "gcs_configuration", "bucket"))
			}
		}
	}
	for name, capacity := range p.JobQueueCapacities {
		if capacity < -1 {
			add(fmt.Errorf("plank.job_queue_capacities.%s: %d is not a capacity (use -1 for unlimited)", name, capacity))
		}
	}
	return errs
}

func (c *ProwConfig) validateDurations() []error {
	var errs []error
	durations := []struct {
		key string
		d   *metav1.Duration
	}{
		{"sinker.resync_period", c.Sinker.ResyncPeriod}, {"sinker.max_prowjob_age", c.Sinker.MaxProwJobAge},
		{"sinker.max_pod_age", c.Sinker.MaxPodAge}, {"sinker.terminated_pod_ttl", c.Sinker.TerminatedPodTTL},
		{"tide.sync_period", c.Tide.SyncPeriod}, {"tide.status_update_period", c.Tide.StatusUpdatePeriod},
		{"horologium.tick_interval", c.Horologium.TickInterval}, {"default_job_timeout", c.DefaultJobTimeout},
		{"plank.pod_pending_timeout", c.Plank.PodPendingTimeout}, {"plank.pod_running_timeout", c.Plank.PodRunningTimeout},
		{"plank.pod_unscheduled_timeout", c.Plank.PodUnscheduledTimeout},
	}
	for _, x := range durations {
		if x.d != nil && x.d.Duration < 0 {
			errs = append(errs, fmt.Errorf("%s: %s must not be negative", x.key, x.d.Duration))
		}
	}
	return errs
}

// compileTemplates parses the job URL and report templates once.
func (p *Plank) compileTemplates() error {
	if p.JobURLTemplateString != "" {
		t, err := template.New("job_url_template").Parse(p.JobURLTemplateString)
		if err != nil {
			return fmt.Errorf("plank.job_url_template: %w", err)
		}
		p.jobURLTemplate = t
	}
	p.reportTemplates = map[string]*template.Template{}
	for key, text := range p.ReportTemplateStrings {
		t, err := template.New("report_template").Parse(text)
		if err != nil {
			return fmt.Errorf("plank.report_templates.%s: %w", key, err)
		}
		p.reportTemplates[key] = t
	}
	return nil
}

// JobURLTemplate is the compiled job_url_template (nil when unset).
func (p *Plank) JobURLTemplate() *template.Template { return p.jobURLTemplate }

func (t *Tide) validate() []error {
	errs := t.validateQueries()
	errs = append(errs, t.validateMergeMethods()...)
	for key, policy := range t.GitHubMergeBlocksPolicy {
		if policy != "block" && policy != "permit" && policy != "ignore" {
			errs = append(errs, fmt.Errorf("tide.github_merge_blocks_policy.%s: %q is not one of block, permit, ignore", key, policy))
		}
	}
	if t.SpeculativeDepth != nil && *t.SpeculativeDepth < 0 {
		errs = append(errs, at(fmt.Errorf("tide.speculative_depth: %d; it must be 0 (no speculative batches) or more", *t.SpeculativeDepth), "tide", "speculative_depth"))
	}
	return append(errs, t.validateContextOptions()...)
}

func (t *Tide) validateQueries() []error {
	var errs []error
	for i, q := range t.Queries {
		missing := labels.NewSet(q.MissingLabels)
		for _, l := range q.Labels {
			if missing.Has(l) {
				errs = append(errs, at(fmt.Errorf("tide.queries[%d]: label %q is both required and forbidden", i, l), "tide", "queries", i, "labels"))
			}
		}
		if len(q.Orgs)+len(q.Repos) == 0 {
			errs = append(errs, at(fmt.Errorf("tide.queries[%d]: names no orgs or repos", i), "tide", "queries", i))
		}
		if len(q.IncludedBranches) > 0 && len(q.ExcludedBranches) > 0 {
			errs = append(errs, at(fmt.Errorf("tide.queries[%d]: includedBranches and excludedBranches are mutually exclusive", i), "tide", "queries", i, "includedBranches"))
		}
		for j, repo := range append(append([]string(nil), q.Repos...), q.ExcludedRepos...) {
			if org, name, ok := strings.Cut(repo, "/"); !ok || org == "" || name == "" || strings.Contains(name, "/") {
				field, k := "repos", j
				if j >= len(q.Repos) {
					field, k = "excludedRepos", j-len(q.Repos)
				}
				errs = append(errs, at(fmt.Errorf("tide.queries[%d].%s[%d]: %q is not org/repo", i, field, k, repo), "tide", "queries", i, field, k))
			}
		}
	}
	return errs
}

func (t *Tide) validateMergeMethods() []error {
	var errs []error
	for key, mt := range t.MergeType {
		errs = append(errs, checkMergeMethod("tide.merge_method."+key, mt.MergeType, "tide", "merge_method", key)...)
		for repo, rt := range mt.Repos {
			errs = append(errs, checkMergeMethod("tide.merge_method."+key+"."+repo, rt.MergeType, "tide", "merge_method", key, repo)...)
			for branch, m := range rt.Branches {
				if _, err := regexp.Compile(branch); err != nil {
					errs = append(errs, at(fmt.Errorf("tide.merge_method.%s.%s: branch %q: %w", key, repo, branch, err), "tide", "merge_method", key, repo))
				}
				errs = append(errs, checkMergeMethod("tide.merge_method."+key+"."+repo+"."+branch, m, "tide", "merge_method", key, repo, branch)...)
			}
		}
	}
	for key, mt := range t.MergeTemplate {
		for _, part := range []struct{ name, text string }{{"title", mt.TitleTemplate}, {"body", mt.BodyTemplate}} {
			if _, err := template.New(part.name).Parse(part.text); err != nil {
				errs = append(errs, at(fmt.Errorf("tide.merge_commit_template.%s.%s: %w", key, part.name, err), "tide", "merge_commit_template", key, part.name))
			}
		}
	}
	return errs
}

func (t *Tide) validateContextOptions() []error {
	var errs []error
	check := func(where string, p TideContextPolicy, path ...any) {
		for i, re := range p.OptionalRegexContexts {
			if _, err := regexp.Compile(re); err != nil {
				errs = append(errs, at(fmt.Errorf("%s.optional-regex-contexts: %w", where, err), append(path, "optional-regex-contexts", i)...))
			}
		}
	}
	check("tide.context_options", t.ContextOptions.TideContextPolicy, "tide", "context_options")
	for org, o := range t.ContextOptions.Orgs {
		check("tide.context_options.orgs."+org, o.TideContextPolicy, "tide", "context_options", "orgs", org)
		for repo, r := range o.Repos {
			check("tide.context_options.orgs."+org+".repos."+repo, r.TideContextPolicy, "tide", "context_options", "orgs", org, "repos", repo)
			for branch, b := range r.Branches {
				check("tide.context_options.orgs."+org+".repos."+repo+".branches."+branch, b, "tide", "context_options", "orgs", org, "repos", repo, "branches", branch)
			}
		}
	}
	return errs
}

func checkMergeMethod(where, method string, path ...any) []error {
	switch method {
	case "", "merge", "squash", "rebase":
		return nil
	}
	return []error{at(fmt.Errorf("%s: merge method %q is not one of merge, squash, rebase", where, method), path...)}
}

// located is a validation error that knows where in config.yaml the bad
// value is written (mapping keys and sequence indexes), so the loader can
// name its line.
type located struct {
	path []any
	err  error
}

func (l located) Error() string { return l.err.Error() }
func (l located) Unwrap() error { return l.err }

// at locates err at path in config.yaml.
func at(err error, path ...any) error { return located{path: path, err: err} }

func (d *Deck) validate() []error {
	var errs []error
	for i, lens := range d.Spyglass.Lenses {
		if lens.Lens.Name == "" && lens.RemoteConfig == nil {
			errs = append(errs, fmt.Errorf("deck.spyglass.lenses[%d]: lens.name is required", i))
		}
		for j, re := range lens.RequiredFiles {
			if _, err := regexp.Compile(re); err != nil {
				errs = append(errs, fmt.Errorf("deck.spyglass.lenses[%d].required_files[%d]: %w", i, j, err))
			}
		}
		for j, re := range lens.OptionalFiles {
			if _, err := regexp.Compile(re); err != nil {
				errs = append(errs, fmt.Errorf("deck.spyglass.lenses[%d].optional_files[%d]: %w", i, j, err))
			}
		}
	}
	return errs
}
