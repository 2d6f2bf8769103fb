package statusreconciler

import (
	"sort"

	"github.com/prowbot/prow/config"
)

// The descriptions of retired contexts, as Prow's status-reconciler
// writes them.
const (
	RetiredDescription = "Context retired without replacement."
	movedDescription   = "Context retired. Status moved to %q."
)

// Retirement retires a context on the open pull requests of a repository;
// with Replacement, the context's status moves there first.
type Retirement struct {
	Context     string
	Replacement string
}

// Actions are what a configuration change asks of the open pull
// requests, by "org/repo".
type Actions struct {
	// Trigger are the presubmits to start where they apply.
	Trigger map[string][]config.Presubmit
	// Retire are the contexts to retire.
	Retire map[string][]Retirement
}

// Empty says whether there is nothing to do.
func (a Actions) Empty() bool { return len(a.Trigger) == 0 && len(a.Retire) == 0 }

// blocking says whether a presubmit runs by itself and its context must
// pass before merge: the jobs an open pull request is stuck without.
func blocking(ps config.Presubmit) bool { return ps.ContextRequired() && !ps.NeedsExplicitTrigger() }

// Diff compares two job configurations. A presubmit is triggered when it
// is blocking in the new one and was not before: it is new, it reported
// nothing (skip_report), was optional or only ran when asked for, or its
// file filter changed (run_if_changed, skip_if_only_changed). A reporting
// presubmit that is gone has its context retired, unless another
// presubmit of the repository reports that context; a blocking presubmit
// whose context was renamed has its status moved to the new context.
// Nothing else (a new image, new arguments) reruns anything, as in Prow.
func Diff(old, new *config.JobConfig) Actions {
	a := Actions{Trigger: map[string][]config.Presubmit{}, Retire: map[string][]Retirement{}}
	for _, repo := range sortedRepos(old, new) {
		trig, retire := diffRepo(old.Presubmits[repo], new.Presubmits[repo])
		if len(trig) > 0 {
			a.Trigger[repo] = trig
		}
		if len(retire) > 0 {
			a.Retire[repo] = retire
		}
	}
	return a
}

// diffRepo is Diff for one repository's presubmits.
func diffRepo(old, new []config.Presubmit) (trig []config.Presubmit, retire []Retirement) {
	before, after := byName(old), byName(new)
	contexts := map[string]bool{}
	for _, np := range new {
		if !np.SkipReport {
			contexts[np.Context] = true
		}
	}
	for _, np := range new {
		op, existed := before[np.Name]
		run := newlyBlocking(op, np, existed)
		if run {
			trig = append(trig, np)
		}
		if !existed || op.SkipReport || op.Context == np.Context || contexts[op.Context] {
			continue
		}
		// A renamed context: its status moves along, unless the job runs
		// anew or no longer reports.
		rt := Retirement{Context: op.Context}
		if !run && !np.SkipReport {
			rt.Replacement = np.Context
		}
		retire = append(retire, rt)
	}
	for _, op := range old {
		if _, kept := after[op.Name]; kept || op.SkipReport || contexts[op.Context] {
			continue
		}
		retire = append(retire, Retirement{Context: op.Context})
	}
	return trig, retire
}

// newlyBlocking says whether np blocks merge by itself and op (when it
// existed) did not, or ran for other files.
func newlyBlocking(op, np config.Presubmit, existed bool) bool {
	if !blocking(np) {
		return false
	}
	return !existed || !blocking(op) || op.RunIfChanged != np.RunIfChanged || op.SkipIfOnlyChanged != np.SkipIfOnlyChanged
}

func byName(ps []config.Presubmit) map[string]config.Presubmit {
	out := make(map[string]config.Presubmit, len(ps))
	for _, p := range ps {
		out[p.Name] = p
	}
	return out
}

// sortedRepos lists the repositories with presubmits in either
// configuration.
func sortedRepos(old, new *config.JobConfig) []string {
	seen := map[string]bool{}
	var out []string
	for _, jc := range []*config.JobConfig{old, new} {
		for repo := range jc.Presubmits {
			if !seen[repo] {
				seen[repo] = true
				out = append(out, repo)
			}
		}
	}
	sort.Strings(out)
	return out
}
