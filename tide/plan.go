package tide

import (
	"sort"
	"strconv"
	"strings"

	"github.com/prowbot/prow/config"
)

// ActionKind is what tide does in a pool.
type ActionKind string

// The actions of a pool.
const (
	// Wait: nothing to do, or presubmits are running.
	Wait ActionKind = "WAIT"
	// Merge the pull request.
	Merge ActionKind = "MERGE"
	// MergeBatch merges every pull request of a batch that passed.
	MergeBatch ActionKind = "MERGE_BATCH"
	// Trigger reruns the pull request's stale presubmits against the
	// current base.
	Trigger ActionKind = "TRIGGER"
	// TriggerBatch tests pull requests together against the current base.
	TriggerBatch ActionKind = "TRIGGER_BATCH"
)

// Action is what tide does in one pool in one sync.
type Action struct {
	Pool string
	Kind ActionKind
	// PR is the pull request merged or retested (Merge, Trigger).
	PR *Verdict
	// Batch are the pull requests merged or tested together, by number
	// (MergeBatch, TriggerBatch).
	Batch []*Verdict
}

// BatchRun is a batch's jobs: pull requests at their heads tested
// together against a base.
type BatchRun struct {
	BaseSHA string
	// Pulls maps each pull request's number to the head tested.
	Pulls map[int]string
	// States are the best state of the batch's jobs, by context.
	States map[string]string
}

// BatchKey names a set of pull requests at their heads.
func BatchKey(pulls map[int]string) string {
	parts := make([]string, 0, len(pulls))
	for n, sha := range pulls {
		parts = append(parts, strconv.Itoa(n)+"@"+sha)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// BatchLimit is batch_size_limit for org/repo (org/repo, else org, else
// "*"): 0 is no limit, below 0 no batches.
func BatchLimit(t *config.Tide, org, repo string) int {
	for _, k := range []string{org + "/" + repo, org, "*"} {
		if n, ok := t.BatchSizeLimitMap[k]; ok {
			return n
		}
	}
	return 0
}

// Plan decides each pool's action, pools in name order. batches are the
// batch runs of each pool (by pool key). In a pool, in order: merge a
// batch whose every job passed against the current base with its pull
// requests unchanged; else merge the first ready pull request (priority
// labels, then oldest) unless a batch is running; else wait if no
// presubmit decides or a batch is running; else test the batch
// candidates together (bisecting a batch that failed); else rerun the
// first stale pull request when nothing runs; else wait.
func Plan(t *config.Tide, verdicts []Verdict, batches map[string][]BatchRun) []Action {
	pools := map[string][]*Verdict{}
	for i := range verdicts {
		if v := &verdicts[i]; v.InPool {
			pools[v.PoolKey()] = append(pools[v.PoolKey()], v)
		}
	}
	keys := make([]string, 0, len(pools))
	for k := range pools {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Action, 0, len(keys))
	for _, k := range keys {
		prs := pools[k]
		out = append(out, planPool(k, prs, batches[k], BatchLimit(t, prs[0].Org, prs[0].Repo)))
	}
	return out
}

func planPool(key string, prs []*Verdict, runs []BatchRun, limit int) Action {
	sort.SliceStable(prs, func(i, j int) bool {
		if prs[i].Priority != prs[j].Priority {
			return prs[i].Priority < prs[j].Priority
		}
		return prs[i].Number < prs[j].Number
	})
	passed, pending, failed := sortBatches(prs, runs)
	if len(passed) > 0 {
		return Action{Pool: key, Kind: MergeBatch, Batch: passed}
	}
	if v := firstReady(prs); v != nil && !pending {
		return Action{Pool: key, Kind: Merge, PR: v}
	}
	running, presubmits := false, false
	for _, v := range prs {
		running = running || len(v.Testing) > len(v.Stale)
		presubmits = presubmits || len(v.Policy.Prow) > 0
	}
	if !presubmits || pending {
		return Action{Pool: key, Kind: Wait}
	}
	switch batch := bisect(batchCandidates(prs, limit), failed); {
	case len(batch) > 1:
		return Action{Pool: key, Kind: TriggerBatch, Batch: batch}
	case len(batch) == 1 && !running:
		return Action{Pool: key, Kind: Trigger, PR: batch[0]}
	}
	if v := firstStale(prs); v != nil && !running {
		return Action{Pool: key, Kind: Trigger, PR: v}
	}
	return Action{Pool: key, Kind: Wait}
}

// firstReady is the first pull request ready to merge now.
func firstReady(prs []*Verdict) *Verdict {
	for _, v := range prs {
		if v.Ready && (v.Refused == "" || v.RetryDue) {
			return v
		}
	}
	return nil
}

// firstStale is the first pull request with presubmits to rerun.
func firstStale(prs []*Verdict) *Verdict {
	for _, v := range prs {
		if len(v.Stale) > 0 && v.Refused == "" {
			return v
		}
	}
	return nil
}

// sortBatches looks at the batch runs against the pool's current base
// whose pull requests are all still in the pool at the heads tested
// (others no longer count): the pull requests of one whose every
// required job passed, whether one is running, and the keys of those
// that failed.
func sortBatches(prs []*Verdict, runs []BatchRun) (passed []*Verdict, pending bool, failed map[string]bool) {
	failed = map[string]bool{}
	byNumber := map[int]*Verdict{}
	for _, v := range prs {
		byNumber[v.Number] = v
	}
	for _, run := range runs {
		members, ok := batchMembers(run, byNumber)
		if !ok {
			continue
		}
		switch batchState(run, members) {
		case "success":
			if passed == nil {
				passed = members
			}
		case "pending":
			pending = true
		default:
			failed[BatchKey(run.Pulls)] = true
		}
	}
	return passed, pending, failed
}

// batchMembers are the run's pull requests, by number, if each is still
// in the pool at the head tested and the run was against the pool's base.
func batchMembers(run BatchRun, byNumber map[int]*Verdict) ([]*Verdict, bool) {
	var members []*Verdict
	for n, sha := range run.Pulls {
		v, ok := byNumber[n]
		if !ok || v.HeadSHA != sha || v.BaseSHA != run.BaseSHA {
			return nil, false
		}
		members = append(members, v)
	}
	sort.Slice(members, func(i, j int) bool { return members[i].Number < members[j].Number })
	return members, len(members) > 0
}

// batchState is success when every required Prow presubmit of every
// member passed in the run, failure when one failed, else pending.
func batchState(run BatchRun, members []*Verdict) string {
	state := "success"
	for _, v := range members {
		for _, c := range v.Policy.Required {
			if !v.Policy.Prow[c] {
				continue
			}
			switch rank(run.States[c]) {
			case 3:
			case 1:
				return "failure"
			default:
				state = "pending"
			}
		}
	}
	return state
}

// batchCandidates are the first pull requests (by priority, then number)
// that may be tested together, up to limit; none when batches are off.
func batchCandidates(prs []*Verdict, limit int) []*Verdict {
	if limit < 0 {
		return nil
	}
	var out []*Verdict
	for _, v := range prs {
		if v.BatchCandidate && (limit == 0 || len(out) < limit) {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// bisect narrows a batch that failed to its first half, again and again,
// until it reaches a set not yet tested (or one pull request, tested
// alone): the culprit is found in log2(n) rounds while the halves that
// pass merge. A single candidate is no batch.
func bisect(batch []*Verdict, failed map[string]bool) []*Verdict {
	if len(batch) < 2 {
		return nil
	}
	for len(batch) > 1 && failed[batchOf(batch)] {
		batch = batch[:len(batch)/2]
	}
	return batch
}

func batchOf(prs []*Verdict) string {
	pulls := map[int]string{}
	for _, v := range prs {
		pulls[v.Number] = v.HeadSHA
	}
	return BatchKey(pulls)
}
