package tide

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/report"
	"github.com/prowbot/prow/prow/mapkeys"
)

// StatusContext is the context tide reports on; it never counts as a
// requirement.
const StatusContext = "tide"

// maxErrored is how many errored runs of a presubmit, for one head and
// base, tide tolerates before it stops rerunning it.
const maxErrored = 2

// skipRetestMarker in a status description says its result holds on any
// base.
const skipRetestMarker = "[prow:skip-retest]"

// ContextPolicy says which status contexts must be green before a pull
// request merges.
type ContextPolicy struct {
	Required          []string
	RequiredIfPresent []string
	Optional          []string
	OptionalRegex     []*regexp.Regexp
	SkipUnknown       bool
	// Prow are the contexts the repository's presubmits report: tide
	// reruns them when they ran against an older base, and waits for them
	// while they run.
	Prow map[string]bool
}

// PolicyFor merges context_options for org/repo/branch: lists add up
// from the top level down, a flag set lower wins.
func PolicyFor(t *config.Tide, org, repo, branch string) (ContextPolicy, error) {
	var p ContextPolicy
	if err := p.add(t.ContextOptions.TideContextPolicy); err != nil {
		return p, fmt.Errorf("tide.context_options: %w", err)
	}
	o, ok := t.ContextOptions.Orgs[org]
	if !ok {
		return p, nil
	}
	if err := p.add(o.TideContextPolicy); err != nil {
		return p, fmt.Errorf("tide.context_options.orgs.%s: %w", org, err)
	}
	r, ok := o.Repos[repo]
	if !ok {
		return p, nil
	}
	if err := p.add(r.TideContextPolicy); err != nil {
		return p, fmt.Errorf("tide.context_options.orgs.%s.repos.%s: %w", org, repo, err)
	}
	if b, ok := r.Branches[branch]; ok {
		if err := p.add(b); err != nil {
			return p, fmt.Errorf("tide.context_options.orgs.%s.repos.%s.branches.%s: %w", org, repo, branch, err)
		}
	}
	return p, nil
}

func (p *ContextPolicy) add(c config.TideContextPolicy) error {
	p.Required = append(p.Required, c.RequiredContexts...)
	p.RequiredIfPresent = append(p.RequiredIfPresent, c.RequiredIfPresentContexts...)
	p.Optional = append(p.Optional, c.OptionalContexts...)
	for _, expr := range c.OptionalRegexContexts {
		re, err := regexp.Compile(expr)
		if err != nil {
			return fmt.Errorf("optional-regex-contexts %q: %w", expr, err)
		}
		p.OptionalRegex = append(p.OptionalRegex, re)
	}
	if c.SkipUnknownContexts != nil {
		p.SkipUnknown = *c.SkipUnknownContexts
	}
	return nil
}

// WithPresubmits adds a pull request's presubmits: those that run for it
// and report are required, every other one of the repository optional.
// all is every presubmit of the repository, run those that run for the
// pull request.
func (p ContextPolicy) WithPresubmits(all, run []config.Presubmit) ContextPolicy {
	p.Prow = map[string]bool{}
	p.Required = slices.Clone(p.Required)
	p.Optional = slices.Clone(p.Optional)
	running := map[string]bool{}
	for _, ps := range run {
		if ps.ContextRequired() {
			running[ps.Context] = true
			p.Required = append(p.Required, ps.Context)
		}
	}
	for _, ps := range all {
		p.Prow[ps.Context] = true
		if !running[ps.Context] {
			p.Optional = append(p.Optional, ps.Context)
		}
	}
	return p
}

func (p ContextPolicy) optional(name string) bool {
	if name == StatusContext || slices.Contains(p.Optional, name) {
		return true
	}
	return slices.ContainsFunc(p.OptionalRegex, func(re *regexp.Regexp) bool { return re.MatchString(name) })
}

// contextVerdict sorts a pull request's required contexts.
type contextVerdict struct {
	// Failed are required contexts that are not green and that tide
	// cannot rerun: failed, errored, or missing or pending without being
	// a Prow presubmit. The pull request is out of the pool.
	Failed []string
	// Running are Prow presubmits running against the current base.
	Running []string
	// Stale are Prow presubmits without a result against the current
	// base: never run, or run against an older one. Tide reruns them.
	Stale []string
	// Untested are the stale presubmits that never passed, on any base:
	// the pull request cannot join a batch before they do.
	Untested []string
}

// Testing lists what is running or to rerun.
func (v contextVerdict) Testing() []string {
	out := append(slices.Clone(v.Running), v.Stale...)
	sort.Strings(out)
	return out
}

// required lists the contexts that must be green: the required ones and
// those present that are required if present or unknown (unless unknown
// ones are skipped).
func (p ContextPolicy) required(present map[string]Context) []string {
	set := map[string]bool{}
	for _, c := range p.Required {
		set[c] = true
	}
	for name := range present {
		if p.optional(name) && !slices.Contains(p.Required, name) {
			continue
		}
		if slices.Contains(p.RequiredIfPresent, name) || !p.SkipUnknown || p.Prow[name] {
			set[name] = true
		}
	}
	delete(set, StatusContext)
	return mapkeys.Sorted(set)
}

// rank orders states: the best result of a context wins.
func rank(state string) int {
	switch state {
	case "success":
		return 3
	case "pending", "triggered", "scheduling":
		return 2
	case "failure", "error", "aborted":
		return 1
	}
	return 0
}

// evaluateContexts sorts the required contexts of a pull request whose
// pool's base is at baseSHA. jobs are the states of Prow jobs that ran
// for the current head against baseSHA, by context.
//
// A Prow presubmit that ended in error (the run broke: it was interrupted
// or could not start; not a verdict on the change) is rerun, once per
// head and base: errors counts its errored runs against baseSHA. A
// failure is never rerun; users /retest.
func evaluateContexts(p ContextPolicy, contexts []Context, baseSHA string, jobs map[string]string, errors map[string]int) contextVerdict {
	present := map[string]Context{}
	for _, c := range contexts {
		present[c.Name] = c
	}
	var v contextVerdict
	for _, name := range p.required(present) {
		best := p.best(name, present, baseSHA, jobs)
		switch r := rank(best); {
		case r == 3:
		case r == 2 && p.Prow[name]:
			v.Running = append(v.Running, name)
		case r == 0 && p.Prow[name], best == "error" && p.Prow[name] && errors[name] < maxErrored:
			v.Stale = append(v.Stale, name)
			if c, ok := present[name]; !ok || c.State != "success" {
				v.Untested = append(v.Untested, name)
			}
		default:
			v.Failed = append(v.Failed, name)
		}
	}
	return v
}

// best is the best result of a context against baseSHA: its job runs',
// and its status when that holds for baseSHA (a failure always counts:
// tide never reruns failed presubmits).
func (p ContextPolicy) best(name string, present map[string]Context, baseSHA string, jobs map[string]string) string {
	best := jobs[name]
	if c, ok := present[name]; ok && (!p.Prow[name] || fresh(c, baseSHA) || rank(c.State) == 1) && rank(c.State) > rank(best) {
		best = c.State
	}
	return best
}

// fresh says whether a Prow presubmit's status holds for the pool's base:
// it names that base, names none, or says it needs no retest.
func fresh(c Context, baseSHA string) bool {
	if strings.Contains(c.Description, skipRetestMarker) {
		return true
	}
	sha := report.BaseSHAFromDescription(c.Description)
	return sha == "" || sha == baseSHA
}
