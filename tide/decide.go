package tide

import (
	"fmt"
	"strings"

	"github.com/prowbot/prow/config"
)

// Candidate is a pull request in a query's scope with everything the
// decision needs besides the configuration.
type Candidate struct {
	PR
	// BaseSHA is the pool's base: the branch's current head.
	BaseSHA string
	// Policy says which contexts must be green.
	Policy ContextPolicy
	// Jobs are the states of Prow jobs run for the current head against
	// BaseSHA, by context (the job store's view, which may be ahead of
	// the statuses).
	Jobs map[string]string
	// JobErrors counts, by context, the runs for the current head against
	// BaseSHA that ended in error.
	JobErrors map[string]int
	// Refused is GitHub's answer to the last merge attempted at this head
	// and base; empty when none was refused.
	Refused string
	// RetryDue: the refusal is old enough to try the merge again.
	RetryDue bool
	// Blockers are open issues carrying the blocker label that block the
	// pull request's branch.
	Blockers []int
	// InRepoProblem says why the pull request's in-repo configuration
	// (.prow.yaml) cannot be used; empty when it can.
	InRepoProblem string

	// run are the presubmits that run for the pull request.
	run []config.Presubmit
}

// Verdict is tide's decision about one pull request.
type Verdict struct {
	Candidate
	// State and Description are the tide status it should carry.
	State, Description string
	// InPool: it matches a query and nothing it lacks stops tide from
	// working on it.
	InPool bool
	// Ready: in the pool, every required context green against the pool's
	// base; it merges when its turn comes (after a refusal, once the
	// retry is due).
	Ready bool
	// Testing are the Prow presubmits running or to rerun.
	Testing []string
	// Stale are the presubmits to rerun against the current base.
	Stale []string
	// BatchCandidate: in the pool, every presubmit passed on some base
	// and none running; it may be tested in a batch with others.
	BatchCandidate bool
	// Method is the merge method it would merge with.
	Method string
	// Priority orders ready pull requests: lower first.
	Priority int
}

// Decide decides about every candidate whose repository a query covers;
// candidates no query covers are left out.
func Decide(t *config.Tide, cands []Candidate) ([]Verdict, error) {
	out := make([]Verdict, 0, len(cands))
	for _, c := range cands {
		v, ok, err := decide(t, c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Key(), err)
		}
		if ok {
			out = append(out, v)
		}
	}
	return out, nil
}

func decide(t *config.Tide, c Candidate) (Verdict, bool, error) {
	v := Verdict{Candidate: c, Priority: priority(t, c.PR)}
	diff, best := statusQueryReasons(t, c.PR)
	if best < 0 {
		return v, false, nil
	}
	policy := MergeBlocksPolicy(t, c.Org, c.Repo)
	configured, err := RepoMethod(t, c.Org, c.Repo, c.BaseRef)
	if err != nil {
		return v, false, err
	}
	method, conflict := prMethod(t, c.PR, configured)
	v.Method = method
	ctx := evaluateContexts(c.Policy, c.Contexts, c.BaseSHA, c.Jobs, c.JobErrors)
	blocking := blockingReasons(c, conflict, policy)
	if len(ctx.Failed) > 0 {
		diff = append(diff, jobsNotSucceeded(ctx.Failed))
	}
	switch {
	case len(blocking) > 0:
		v.State, v.Description = "error", notMergeable(append(blocking, diff...))
		return v, true, nil
	case len(diff) > 0:
		v.State, v.Description = "pending", notMergeable(diff)
		return v, true, nil
	}
	v.InPool, v.Testing, v.Stale = true, ctx.Testing(), ctx.Stale
	v.Ready = len(v.Testing) == 0
	v.BatchCandidate = !v.Ready && len(ctx.Running) == 0 && len(ctx.Untested) == 0 && c.Refused == ""
	switch {
	case c.Refused != "":
		v.State, v.Description = "error", notMergeable([]string{"GitHub refused the merge: " + c.Refused})
	case !v.Ready:
		v.State, v.Description = "pending", retesting(v.Testing)
	case policy == MergeBlocksPermit && githubBlocked(c.PR):
		v.State, v.Description = "success", inPoolDespiteBlocked
	default:
		v.State, v.Description = "success", InPoolDescription
	}
	return v, true, nil
}

// blockingReasons are what keeps a pull request from merging whatever
// else it has: blocker issues, a conflict, conflicting method labels,
// being a draft, GitHub blocking it under the policy block.
func blockingReasons(c Candidate, methodConflict bool, mergeBlocksPolicy string) []string {
	var out []string
	if len(c.Blockers) > 0 {
		out = append(out, "Merging is blocked by issue(s) "+issueList(c.Blockers)+".")
	}
	if c.InRepoProblem != "" {
		out = append(out, c.InRepoProblem)
	}
	if c.Mergeable != nil && !*c.Mergeable {
		out = append(out, "PR has a merge conflict.")
	}
	if methodConflict {
		out = append(out, "PR has conflicting merge method override labels.")
	}
	if c.Draft {
		out = append(out, "PR is a draft.")
	}
	if mergeBlocksPolicy == MergeBlocksBlock && githubBlocked(c.PR) {
		out = append(out, blockedByGitHub)
	}
	return out
}

// queryReasons is the smallest difference between the pull request and a
// query covering its repository; best is -1 when none does.
func queryReasons(queries []config.TideQuery, pr PR) (reasons []string, best int) {
	best = -1
	for _, q := range queries {
		if !Covers(q, pr.Org, pr.Repo) {
			continue
		}
		r, n := queryDiff(q, pr)
		if best < 0 || n < best {
			reasons, best = r, n
		}
	}
	return reasons, best
}

// priority is the index of the first priority entry whose labels the
// pull request all carries ("a,b" in an entry is a or b); past the end
// when none matches.
func priority(t *config.Tide, pr PR) int {
	for i, p := range t.Priority {
		all := len(p.Labels) > 0
		for _, entry := range p.Labels {
			all = all && pr.hasAnyLabel(entry)
		}
		if all {
			return i
		}
	}
	return len(t.Priority)
}

func issueList(numbers []int) string {
	parts := make([]string, len(numbers))
	for i, n := range numbers {
		parts[i] = fmt.Sprintf("#%d", n)
	}
	return strings.Join(parts, ", ")
}
