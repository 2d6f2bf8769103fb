package tide

import (
	"context"
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// SpeculativeLabel marks the jobs of a batch tide tests on top of a
// running batch.
const SpeculativeLabel = "tide.prowbot.io/speculative"

// batchRuns reads the batch jobs of one repository from the job store and
// groups them into runs against each pool's current base, by pool key.
// Speculative runs on an older base are kept when what landed since is
// exactly the first of their pull requests as tested (see landed).
func (c *Controller) batchRuns(ctx context.Context, cands []Candidate) (map[string][]BatchRun, error) {
	if c.opts.Jobs == nil {
		return nil, nil
	}
	org, repo := cands[0].Org, cands[0].Repo
	bases := map[string]string{}
	for _, cand := range cands {
		bases[cand.BaseRef] = cand.BaseSHA
	}
	g := runGrouper{bases: bases, runs: map[string]*BatchRun{}}
	page := jobs.Page{Limit: 500}
	for {
		list, err := c.opts.Jobs.List(ctx, jobs.Filter{Org: org, Repo: repo, Type: prowapi.BatchJob}, page)
		if err != nil {
			return nil, fmt.Errorf("list batch jobs of %s/%s: %w", org, repo, err)
		}
		for i := range list.Items {
			g.add(&list.Items[i])
		}
		if list.Continue == "" {
			break
		}
		page.Continue = list.Continue
	}
	out := map[string][]BatchRun{}
	for _, key := range g.order {
		run := g.runs[key]
		var pool *Candidate
		for i := range cands {
			if _, ok := run.Pulls[cands[i].Number]; ok && cands[i].BaseRef == g.refs[key] {
				pool = &cands[i]
				break
			}
		}
		if pool == nil {
			continue
		}
		if run.BaseSHA != pool.BaseSHA {
			c.checkLanded(ctx, run, pool, cands)
		}
		out[pool.PoolKey()] = append(out[pool.PoolKey()], *run)
	}
	return out, nil
}

// runGrouper groups batch jobs into runs: those against their pool's
// current base, and speculative ones against any base.
type runGrouper struct {
	bases map[string]string // branch -> current head
	runs  map[string]*BatchRun
	refs  map[string]string // run key -> branch
	order []string
}

func (g *runGrouper) add(pj *prowapi.ProwJob) {
	r := pj.Spec.Refs
	speculative := pj.Labels[SpeculativeLabel] == "true"
	if r == nil || len(r.Pulls) == 0 || g.bases[r.BaseRef] == "" || g.bases[r.BaseRef] != r.BaseSHA && !speculative {
		return
	}
	pulls := map[int]string{}
	order := make([]int, 0, len(r.Pulls))
	for _, p := range r.Pulls {
		pulls[p.Number] = p.SHA
		order = append(order, p.Number)
	}
	key := r.BaseRef + " " + r.BaseSHA + " " + BatchKey(pulls)
	run, ok := g.runs[key]
	if !ok {
		run = &BatchRun{BaseSHA: r.BaseSHA, Pulls: pulls, Order: order, States: map[string]string{}, Speculative: speculative}
		g.runs[key] = run
		if g.refs == nil {
			g.refs = map[string]string{}
		}
		g.refs[key] = r.BaseRef
		g.order = append(g.order, key)
	}
	if s := string(pj.Status.State); rank(s) > rank(run.States[pj.Spec.Context]) {
		run.States[pj.Spec.Context] = s
	}
	run.Aborted = run.Aborted || pj.Status.State == prowapi.AbortedState
	if !pj.Status.State.IsFinal() {
		run.Unfinished = append(run.Unfinished, pj.Name)
	}
}

// triggerBatch starts, against the pool's base, one batch job for each
// presubmit that must pass for a pull request of the batch, the pull
// requests merged in the batch's order. Jobs of a speculative batch carry
// SpeculativeLabel.
func (c *Controller) triggerBatch(ctx context.Context, cfg *config.Config, batch []*Verdict, speculative bool) error {
	if c.opts.Jobs == nil || len(batch) == 0 {
		return nil
	}
	var errs []error
	refs := refs(batch[0])
	refs.Pulls = nil
	var numbers []int
	for _, v := range batch {
		refs.Pulls = append(refs.Pulls, pullRef(v))
		numbers = append(numbers, v.Number)
	}
	b := jobs.Builder{Now: c.opts.Now, Namespace: cfg.ProwJobNamespace}
	log := c.opts.Logger.WithFields(logrus.Fields{"org": refs.Org, "repo": refs.Repo, "pulls": numbers, "base": refs.BaseSHA, "speculative": speculative})
	labels := map[string]string{prowapi.CreatedByTideLabel: "true"}
	if speculative {
		labels[SpeculativeLabel] = "true"
	}
	presubmits, err := c.batchPresubmits(ctx, cfg, batch)
	if err != nil {
		return err
	}
	for _, ps := range presubmits {
		pj := b.Presubmit(ps, refs, labels)
		pj.Spec.Type = prowapi.BatchJob
		pj.Labels[prowapi.ProwJobTypeLabel] = string(prowapi.BatchJob)
		if _, err := c.opts.Jobs.Create(ctx, pj); err != nil {
			log.WithError(err).WithField("job", ps.Name).Warn("Could not start a batch job")
			errs = append(errs, err)
			continue
		}
		log.WithField("job", ps.Name).Info("Testing a batch")
	}
	return errors.Join(errs...)
}

// mergeBatch merges the batch's pull requests in the order its jobs
// merged them, the combination they tested. It stops at the first that
// does not merge, and when the branch holds anything but the commit just
// merged (someone pushed in between): what would land next was not
// tested, so the rest wait for the next sync. A speculative batch first
// checks the branch is still the base it was judged on.
func (c *Controller) mergeBatch(ctx context.Context, t *config.Tide, batch []*Verdict, speculative bool) error {
	if speculative && len(batch) > 0 {
		v := batch[0]
		head, err := c.opts.GitHub.GetRef(ctx, v.Org, v.Repo, "heads/"+v.BaseRef)
		if err != nil {
			return fmt.Errorf("before #%d: %w", v.Number, err)
		}
		if head != v.BaseSHA {
			return fmt.Errorf("the branch moved to %s before the speculative batch merged: it was tested on %s", head, v.BaseSHA)
		}
	}
	for i, v := range batch {
		landed, err := c.merge(ctx, t, v)
		if err != nil {
			return fmt.Errorf("#%d: %w", v.Number, err)
		}
		if i == len(batch)-1 {
			return nil
		}
		head, err := c.opts.GitHub.GetRef(ctx, v.Org, v.Repo, "heads/"+v.BaseRef)
		if err != nil {
			return fmt.Errorf("after #%d: %w", v.Number, err)
		}
		if head != landed {
			c.log(v).WithFields(logrus.Fields{"landed": landed, "branch": head}).Warn("The branch moved during a batch merge: the rest of the batch waits")
			return fmt.Errorf("after #%d the branch moved to %s, not the merge %s: the rest of the batch was not tested on it", v.Number, head, landed)
		}
	}
	return nil
}
