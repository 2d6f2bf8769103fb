package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"k8s.io/apimachinery/pkg/util/validation"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/yamlconf"
)

var jobNameRe = regexp.MustCompile(`^[A-Za-z0-9-._]+$`)

// validJobName is jobNameRe.MatchString without the regex machinery, for
// the thousands of jobs a load checks.
func validJobName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch b := name[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '-', b == '.', b == '_':
		default:
			return false
		}
	}
	return true
}

// problemf builds a Problem located at a job's definition.
func problemf(base *JobBase, format string, args ...any) yamlconf.Problem {
	return yamlconf.Errorf(base.SourcePath, base.SourceLine, format, args...)
}

// jobProblems wraps a job's errors as Problems that name the job.
func jobProblems(base *JobBase, kind string, errs []error) []yamlconf.Problem {
	out := make([]yamlconf.Problem, 0, len(errs))
	for _, err := range errs {
		out = append(out, problemf(base, "%s %q: %v", kind, base.Name, err))
	}
	return out
}

// validateJobBase checks what every kind of job shares.
func (c *Config) validateJobBase(base *JobBase) []error {
	var errs []error
	if !validJobName(base.Name) {
		errs = append(errs, fmt.Errorf("name must match %s", jobNameRe))
	}
	if base.MaxConcurrency < 0 {
		errs = append(errs, fmt.Errorf("max_concurrency is %d; it must be 0 (no limit) or more", base.MaxConcurrency))
	}
	switch prowapi.ProwJobAgent(base.Agent) {
	case prowapi.KubernetesAgent:
		errs = append(errs, validatePodSpec(base)...)
	case prowapi.JenkinsAgent, prowapi.TektonAgent:
	default:
		errs = append(errs, fmt.Errorf("agent %q is not one of kubernetes, jenkins, tekton-pipeline", base.Agent))
	}
	errs = append(errs, validateLabels(base.Labels)...)
	if c.shouldDecorate(base.UtilityConfig) && base.Agent == string(prowapi.KubernetesAgent) {
		if base.DecorationConfig == nil {
			errs = append(errs, errors.New("decorate is true but no decoration config applies (set plank.default_decoration_config_entries or decoration_config)"))
		} else if err := base.DecorationConfig.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("decoration_config: %w", err))
		}
	}
	if base.JobQueueName != "" {
		if _, ok := c.Plank.JobQueueCapacities[base.JobQueueName]; !ok {
			errs = append(errs, fmt.Errorf("job_queue_name %q is not listed in plank.job_queue_capacities", base.JobQueueName))
		}
	}
	errs = append(errs, validateSlackJob(base.ReporterConfig)...)
	return errs
}

func validateLabels(labels map[string]string) []error {
	var errs []error
	for _, k := range mapkeys.Sorted(labels) {
		for _, msg := range validation.IsQualifiedName(k) {
			errs = append(errs, fmt.Errorf("label key %q: %s", k, msg))
		}
		for _, msg := range validation.IsValidLabelValue(labels[k]) {
			errs = append(errs, fmt.Errorf("label %s value %q: %s", k, labels[k], msg))
		}
	}
	return errs
}

func validatePodSpec(base *JobBase) []error {
	if base.Spec == nil {
		return []error{errors.New("a kubernetes job needs a spec")}
	}
	if len(base.Spec.Containers) == 0 {
		return []error{errors.New("spec has no containers")}
	}
	var errs []error
	if len(base.Spec.Containers) > 1 {
		seen := map[string]bool{}
		for i, ctr := range base.Spec.Containers {
			switch {
			case ctr.Name == "":
				errs = append(errs, fmt.Errorf("spec.containers[%d] needs a name when a job has several containers", i))
			case seen[ctr.Name]:
				errs = append(errs, fmt.Errorf("spec.containers[%d]: container name %q is used twice", i, ctr.Name))
			}
			seen[ctr.Name] = true
		}
	}
	for i, ctr := range base.Spec.Containers {
		if ctr.Image == "" {
			errs = append(errs, fmt.Errorf("spec.containers[%d] has no image", i))
		}
	}
	return errs
}

func (c *Config) validatePresubmit(ps *Presubmit, cache regexCache) []error {
	errs := c.validateJobBase(&ps.JobBase)
	errs = append(errs, compilePresubmit(ps, cache)...)
	if ps.RunIfChanged != "" && ps.SkipIfOnlyChanged != "" {
		errs = append(errs, errors.New("run_if_changed and skip_if_only_changed are mutually exclusive"))
	}
	if ps.AlwaysRun && ps.CouldRunChanges() {
		errs = append(errs, errors.New("always_run cannot be combined with run_if_changed or skip_if_only_changed"))
	}
	switch {
	case ps.Trigger == "" && ps.RerunCommand != "":
		errs = append(errs, errors.New("rerun_command is set but trigger is not"))
	case ps.Trigger != "" && ps.RerunCommand == "":
		errs = append(errs, errors.New("trigger is set but rerun_command is not"))
	case ps.re != nil && !ps.re.MatchString(ps.RerunCommand):
		errs = append(errs, fmt.Errorf("rerun_command %q does not match trigger %q", ps.RerunCommand, ps.Trigger))
	}
	return errs
}

func (c *Config) validatePostsubmit(ps *Postsubmit, cache regexCache) []error {
	errs := c.validateJobBase(&ps.JobBase)
	if err := ps.Brancher.compile(cache); err != nil {
		errs = append(errs, err)
	}
	if err := ps.RegexpChangeMatcher.compile(cache); err != nil {
		errs = append(errs, err)
	}
	if ps.RunIfChanged != "" && ps.SkipIfOnlyChanged != "" {
		errs = append(errs, errors.New("run_if_changed and skip_if_only_changed are mutually exclusive"))
	}
	if ps.AlwaysRun != nil && *ps.AlwaysRun && ps.CouldRunChanges() {
		errs = append(errs, errors.New("always_run cannot be combined with run_if_changed or skip_if_only_changed"))
	}
	return errs
}

func (c *Config) validatePeriodic(p *Periodic) []error {
	errs := c.validateJobBase(&p.JobBase)
	set := 0
	for _, v := range []string{p.Cron, p.Interval, p.MinimumInterval} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		errs = append(errs, errors.New("exactly one of cron, interval and minimum_interval must be set"))
	}
	if p.Cron != "" {
		if _, err := cron.ParseStandard(p.Cron); err != nil {
			errs = append(errs, fmt.Errorf("cron %q: %w", p.Cron, err))
		}
	}
	var err error
	if p.interval, err = parsePositive("interval", p.Interval); err != nil {
		errs = append(errs, err)
	}
	if p.minimumInterval, err = parsePositive("minimum_interval", p.MinimumInterval); err != nil {
		errs = append(errs, err)
	}
	return errs
}

func parsePositive(field, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s %q: %w", field, v, err)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s %q must be positive", field, v)
	}
	return d, nil
}

// validateRepoKey checks a presubmits/postsubmits key is "org/repo".
func validateRepoKey(repo string) error {
	org, name, ok := strings.Cut(repo, "/")
	if !ok || org == "" || name == "" {
		return fmt.Errorf("%q is not of the form org/repo", repo)
	}
	return nil
}

// duplicateProblems finds jobs that clash: presubmits of one repository
// with the same name or context and overlapping branches, postsubmits with
// the same name and overlapping branches, and periodics with the same name.
func (c *Config) duplicateProblems() []yamlconf.Problem {
	var out []yamlconf.Problem
	for _, repo := range mapkeys.Sorted(c.Presubmits) {
		jobs := c.Presubmits[repo]
		for i := range jobs {
			for j := 0; j < i; j++ {
				a, b := &jobs[j], &jobs[i]
				if !a.Brancher.Intersects(b.Brancher) {
					continue
				}
				if a.Name == b.Name {
					out = append(out, problemf(&b.JobBase, "presubmit %q of %s is defined twice (also at %s)", b.Name, repo, where(&a.JobBase)))
				} else if a.Context == b.Context {
					out = append(out, problemf(&b.JobBase, "presubmit %q of %s reports context %q, which presubmit %q already uses (%s)", b.Name, repo, b.Context, a.Name, where(&a.JobBase)))
				}
			}
		}
	}
	for _, repo := range mapkeys.Sorted(c.Postsubmits) {
		jobs := c.Postsubmits[repo]
		for i := range jobs {
			for j := 0; j < i; j++ {
				a, b := &jobs[j], &jobs[i]
				if a.Name == b.Name && a.Brancher.Intersects(b.Brancher) {
					out = append(out, problemf(&b.JobBase, "postsubmit %q of %s is defined twice (also at %s)", b.Name, repo, where(&a.JobBase)))
				}
			}
		}
	}
	first := map[string]*JobBase{}
	for i := range c.Periodics {
		p := &c.Periodics[i]
		if prev, dup := first[p.Name]; dup {
			out = append(out, problemf(&p.JobBase, "periodic %q is defined twice (also at %s)", p.Name, where(prev)))
			continue
		}
		first[p.Name] = &p.JobBase
	}
	return out
}

// where names a job's file and line for a message.
func where(base *JobBase) string {
	if base.SourceLine > 0 {
		return fmt.Sprintf("%s:%d", base.SourcePath, base.SourceLine)
	}
	return base.SourcePath
}
