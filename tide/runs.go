package tide

import (
	"sort"

	"github.com/prowbot/prow/config"
)

// liveRun is a batch run that still counts: the pull requests it tested
// that have not landed are in the pool at the heads tested, on the base
// the run tested them on.
type liveRun struct {
	run BatchRun
	// members are those pull requests, in the order tested.
	members []*Verdict
}

// poolRuns is what a pool's batch runs say.
type poolRuns struct {
	// passed is the largest live run whose every required job passed.
	passed *liveRun
	// pending are the live runs still running.
	pending []liveRun
	// failed are the keys (BatchKey) of live runs that failed.
	failed map[string]bool
	// abandon are the speculative runs that can no longer be used and
	// have unfinished jobs.
	abandon []BatchRun
	// blocked: a run could not be checked; the pool waits.
	blocked bool
	// aborted are the keys (BatchKey) of speculative runs aborted, never
	// started again.
	aborted map[string]bool
}

// sortBatches sorts a pool's batch runs. A run counts when its pull
// requests not landed yet are all still in the pool at the heads tested,
// and it tested them on the pool's current base (a speculative run: on
// its base plus exactly the pull requests that landed since). A
// speculative run that does not count, failed, or went on top of a
// batch that failed is abandoned (its unfinished jobs aborted); one
// aborted counts for nothing.
func sortBatches(prs []*Verdict, runs []BatchRun) poolRuns {
	out := poolRuns{failed: map[string]bool{}, aborted: map[string]bool{}}
	byNumber := map[int]*Verdict{}
	for _, v := range prs {
		byNumber[v.Number] = v
	}
	var passed, failed []liveRun
	for _, run := range runs {
		if run.Unverified {
			out.blocked = true
			continue
		}
		if run.Speculative && run.Aborted {
			out.aborted[BatchKey(run.Pulls)] = true
			out.abandonRun(run) // the jobs an earlier abort missed
			continue
		}
		members, ok := liveMembers(run, byNumber)
		if !ok {
			out.abandonRun(run)
			continue
		}
		live := liveRun{run: run, members: members}
		switch batchState(run, members) {
		case "success":
			passed = append(passed, live)
		case "pending":
			out.pending = append(out.pending, live)
		default:
			out.failed[batchOf(members)] = true
			failed = append(failed, live)
			out.abandonRun(run) // its other jobs can change nothing
		}
	}
	passed = out.dropOverFailed(passed, failed)
	out.pending = out.dropOverFailed(out.pending, failed)
	for i := range passed {
		if out.passed == nil || len(passed[i].members) > len(out.passed.members) {
			out.passed = &passed[i]
		}
	}
	return out
}

// abandonRun abandons a speculative run that has unfinished jobs.
func (p *poolRuns) abandonRun(run BatchRun) {
	if run.Speculative && len(run.Unfinished) > 0 {
		p.abandon = append(p.abandon, run)
	}
}

// dropOverFailed abandons the speculative runs among runs that tested
// on top of a run that failed (whose pull requests come first in the
// same order), and returns the others.
func (p *poolRuns) dropOverFailed(runs, failed []liveRun) []liveRun {
	var kept []liveRun
	for _, r := range runs {
		over := false
		for _, f := range failed {
			over = over || r.run.Speculative && len(f.members) < len(r.members) && isPrefix(f.members, r.members)
		}
		if over {
			p.abandonRun(r.run)
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

func isPrefix(short, long []*Verdict) bool {
	for i, v := range short {
		if long[i].Number != v.Number || long[i].HeadSHA != v.HeadSHA {
			return false
		}
	}
	return true
}

// liveMembers are the run's pull requests not landed yet, in order, if
// each is in the pool at the head tested and the pool's base is the one
// they were tested on.
func liveMembers(run BatchRun, byNumber map[int]*Verdict) ([]*Verdict, bool) {
	rest := run.rest()
	members := make([]*Verdict, 0, len(rest))
	for _, n := range rest {
		v, ok := byNumber[n]
		if !ok || v.HeadSHA != run.Pulls[n] || v.BaseSHA != run.base() {
			return nil, false
		}
		members = append(members, v)
	}
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

// stack are the pull requests of the smallest running batch, and those
// of the speculative batches running on top of it that it lacks.
func (p *poolRuns) stack() (running, stacked []*Verdict) {
	if len(p.pending) == 0 {
		return nil, nil
	}
	bottom := p.pending[0]
	for _, r := range p.pending[1:] {
		if len(r.members) < len(bottom.members) {
			bottom = r
		}
	}
	seen := map[int]bool{}
	for _, v := range bottom.members {
		seen[v.Number] = true
	}
	for _, r := range p.pending {
		for _, v := range r.members {
			if !seen[v.Number] && r.run.Speculative {
				seen[v.Number] = true
				stacked = append(stacked, v)
			}
		}
	}
	sort.Slice(stacked, func(i, j int) bool { return stacked[i].Number < stacked[j].Number })
	return bottom.members, stacked
}

// speculate picks the batch to test on top of the largest running
// batch: its pull requests in their order, then the first ready pull
// requests (by priority, then number; up to the batch limit) that it
// lacks, in number order. None when speculative_depth levels already
// run, batches are off, a run is not checked yet, the same batch failed
// or was aborted before, or the jobs' max_concurrency leaves no room.
func speculate(prs []*Verdict, b poolRuns, limit, depth int, room *Room) (batch, added []*Verdict) {
	if depth <= 0 || limit < 0 || b.blocked || len(b.pending) == 0 || len(b.pending) > depth {
		return nil, nil
	}
	top := b.pending[0]
	for _, r := range b.pending[1:] {
		if len(r.members) > len(top.members) {
			top = r
		}
	}
	if added = nextReady(prs, top.members, limit); len(added) == 0 {
		return nil, nil
	}
	batch = append(append([]*Verdict(nil), top.members...), added...)
	if key := batchOf(batch); b.aborted[key] || b.failed[key] || !room.take(batchJobs(batch)) {
		return nil, nil
	}
	return batch, added
}

// nextReady are the first pull requests (by priority, then number; up
// to limit) that are ready or batch candidates and not in running, in
// number order.
func nextReady(prs, running []*Verdict, limit int) []*Verdict {
	in := map[int]bool{}
	for _, v := range running {
		in[v.Number] = true
	}
	var out []*Verdict
	for _, v := range prs {
		if in[v.Number] || v.Refused != "" || !v.Ready && !v.BatchCandidate {
			continue
		}
		if limit > 0 && len(out) >= limit {
			break
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// take reserves room for jobs to start, if there is room for all.
func (r *Room) take(jobs []config.Presubmit) bool {
	if r.Free >= 0 && r.Free < len(jobs) {
		return false
	}
	for _, ps := range jobs {
		if ps.MaxConcurrency > 0 && r.Running[ps.Name] >= ps.MaxConcurrency {
			return false
		}
	}
	if r.Free >= 0 {
		r.Free -= len(jobs)
	}
	if r.Running == nil {
		r.Running = map[string]int{}
	}
	for _, ps := range jobs {
		r.Running[ps.Name]++
	}
	return true
}

// batchJobs are the presubmits a batch runs: each required presubmit
// that runs for one of its pull requests, once.
func batchJobs(batch []*Verdict) []config.Presubmit {
	seen := map[string]bool{}
	var out []config.Presubmit
	for _, v := range batch {
		for _, ps := range v.run {
			if seen[ps.Name] || !ps.ContextRequired() {
				continue
			}
			seen[ps.Name] = true
			out = append(out, ps)
		}
	}
	return out
}

// markStacked says on the pull requests tested on top of a running batch
// (and not ready by themselves) that they are.
func markStacked(actions []Action) {
	for _, a := range actions {
		for _, v := range a.Stacked {
			if !v.Ready {
				v.State, v.Description = "pending", stackedDescription(v.Testing)
			}
		}
	}
}
