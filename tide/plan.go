package tide

import (
	"maps"
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
	// Batch are the pull requests merged or tested together, in the order
	// their jobs merged them (MergeBatch, TriggerBatch).
	Batch []*Verdict
	// Speculative: the batch merged was tested on top of another batch,
	// or the batch to test goes on top of the running one (its first
	// pull requests are that batch's).
	Speculative bool
	// Running are the pull requests of the batch running against the
	// pool's base; Stacked those tested in speculative batches on top of
	// it, beyond Running.
	Running, Stacked []*Verdict
	// Abandon are speculative batch runs that can no longer be used:
	// their unfinished jobs are aborted.
	Abandon []BatchRun
}

// BatchRun is a batch's jobs: pull requests at their heads tested
// together against a base.
type BatchRun struct {
	BaseSHA string
	// Pulls maps each pull request's number to the head tested.
	Pulls map[int]string
	// Order are the pull requests' numbers in the order the jobs merged
	// them onto BaseSHA (the order of the refs).
	Order []int
	// States are the best state of the batch's jobs, by context.
	States map[string]string
	// Speculative: tide started the run on top of a running batch.
	Speculative bool
	// Aborted: one of its jobs was aborted.
	Aborted bool
	// Unfinished names the run's jobs not yet in a final state.
	Unfinished []string
	// Landed counts the first pull requests of Order that merged since,
	// exactly as tested and with nothing else: the branch is now
	// LandedOn, which is BaseSHA plus those merges, so the run tested
	// LandedOn plus the rest of Order. Only speculative runs on an older
	// base are checked (through GitHub).
	Landed   int
	LandedOn string
	// Unverified: what landed since BaseSHA could not be read; the run
	// holds its pool until it is.
	Unverified bool
}

// base is the base the rest of the run's pull requests (past Landed)
// were tested on.
func (r BatchRun) base() string {
	if r.Landed > 0 {
		return r.LandedOn
	}
	return r.BaseSHA
}

// rest are the numbers of the run's pull requests not landed yet, in
// order.
func (r BatchRun) rest() []int {
	order := r.Order
	if len(order) != len(r.Pulls) {
		order = make([]int, 0, len(r.Pulls))
		for n := range r.Pulls {
			order = append(order, n)
		}
		sort.Ints(order)
	}
	return order[min(r.Landed, len(order)):]
}

// Room is how many more jobs may start under max_concurrency.
type Room struct {
	// Free is how many more jobs plank.max_concurrency lets run;
	// negative: no limit.
	Free int
	// Running counts the unfinished runs of each job, by name, for each
	// job's own max_concurrency.
	Running map[string]int
}

// NoLimit is room for any number of jobs.
func NoLimit() Room { return Room{Free: -1} }

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
// batch runs of each pool (by pool key); room is how many more jobs may
// start (only speculative batches heed it: the job controller queues
// the others). In a pool, in order: merge a batch whose every job passed
// against the current base with its pull requests unchanged (a
// speculative batch counts once what it was tested on top of has landed
// exactly as tested); else merge the first ready pull request (priority
// labels, then oldest) unless a batch is running; else wait if no
// presubmit decides; while a batch is running, test the next ready pull
// requests on top of it (speculative_depth levels at most) or wait; else
// test the batch candidates together (bisecting a batch that failed);
// else rerun the first stale pull request when nothing runs; else wait.
// Speculative runs that can no longer be used are abandoned.
func Plan(t *config.Tide, verdicts []Verdict, batches map[string][]BatchRun, room Room) []Action {
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
	for k, runs := range batches {
		if _, ok := pools[k]; !ok && len(sortBatches(nil, runs).abandon) > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	room.Running = maps.Clone(room.Running)
	out := make([]Action, 0, len(keys))
	for _, k := range keys {
		prs := pools[k]
		if len(prs) == 0 { // no pull request left in the pool: only abandon
			out = append(out, Action{Pool: k, Kind: Wait, Abandon: sortBatches(nil, batches[k]).abandon})
			continue
		}
		out = append(out, planPool(k, prs, batches[k], BatchLimit(t, prs[0].Org, prs[0].Repo), t.Speculation(), &room))
	}
	return out
}

func planPool(key string, prs []*Verdict, runs []BatchRun, limit, depth int, room *Room) Action {
	byPriority(prs)
	b := sortBatches(prs, runs)
	a := Action{Pool: key, Kind: Wait, Abandon: b.abandon}
	if b.passed != nil {
		a.Kind, a.Batch, a.Speculative = MergeBatch, b.passed.members, b.passed.run.Speculative
		return a
	}
	a.Running, a.Stacked = b.stack()
	pending := len(b.pending) > 0 || b.blocked
	if v := firstReady(prs); v != nil && !pending {
		a.Kind, a.PR = Merge, v
		return a
	}
	running, presubmits := false, false
	for _, v := range prs {
		running = running || len(v.Testing) > len(v.Stale)
		presubmits = presubmits || len(v.Policy.Prow) > 0
	}
	switch {
	case !presubmits:
		return a
	case pending:
		if batch, added := speculate(prs, b, limit, depth, room); len(added) > 0 {
			a.Kind, a.Batch, a.Speculative, a.Stacked = TriggerBatch, batch, true, append(a.Stacked, added...)
		}
		return a
	}
	return retest(a, prs, b.failed, limit, running)
}

// byPriority sorts pull requests by priority, then number.
func byPriority(prs []*Verdict) {
	sort.SliceStable(prs, func(i, j int) bool {
		if prs[i].Priority != prs[j].Priority {
			return prs[i].Priority < prs[j].Priority
		}
		return prs[i].Number < prs[j].Number
	})
}

// retest tests the batch candidates together (bisecting a batch that
// failed), else reruns the first stale pull request when nothing runs.
func retest(a Action, prs []*Verdict, failed map[string]bool, limit int, running bool) Action {
	switch batch := bisect(batchCandidates(prs, limit), failed); {
	case len(batch) > 1:
		a.Kind, a.Batch = TriggerBatch, batch
	case len(batch) == 1 && !running:
		a.Kind, a.PR = Trigger, batch[0]
	default:
		if v := firstStale(prs); v != nil && !running {
			a.Kind, a.PR = Trigger, v
		}
	}
	return a
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
