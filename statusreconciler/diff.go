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
		before := byName(old.Presubmits[repo])
		contexts := map[string]bool{}
		for _, np := range new.Presubmits[repo] {
			if !np.SkipReport {
				contexts[np.Context] = true
			}
		}
		for _, np := range new.Presubmits[repo] {
			op, existed := before[np.Name]
			switch {
			case !blocking(np):
			case !existed, !blocking(op), op.RunIfChanged != np.RunIfChanged, op.SkipIfOnlyChanged != np.SkipIfOnlyChanged:
				a.Trigger[repo] = append(a.Trigger[repo], np)
			case op.Context != np.Context && !contexts[op.Context]:
				a.Retire[repo] = append(a.Retire[repo], Retirement{Context: op.Context, Replacement: np.Context})
			}
		}
		after := byName(new.Presubmits[repo])
		for _, op := range old.Presubmits[repo] {
			if _, kept := after[op.Name]; kept || op.SkipReport || contexts[op.Context] {
				continue
			}
			a.Retire[repo] = append(a.Retire[repo], Retirement{Context: op.Context})
		}
	}
	return a
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
