package tide

import (
	"context"
	"fmt"
	"sync"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

// protections are the branch protections read in one sync: each pool's
// branch is read at most once per sync, however many pull requests it
// holds, and only when context_options asks for it.
type protections struct {
	mu      sync.Mutex
	entries map[string]*protectionRead
}

type protectionRead struct {
	once sync.Once
	p    github.BranchProtection
	err  error
}

// reset forgets the last sync's reads.
func (ps *protections) reset() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.entries = map[string]*protectionRead{}
}

// get reads org/repo's branch protection once per sync.
func (ps *protections) get(ctx context.Context, gh GitHub, org, repo, branch string) (github.BranchProtection, error) {
	key := org + "/" + repo + ":" + branch
	ps.mu.Lock()
	if ps.entries == nil {
		ps.entries = map[string]*protectionRead{}
	}
	e := ps.entries[key]
	if e == nil {
		e = &protectionRead{}
		ps.entries[key] = e
	}
	ps.mu.Unlock()
	e.once.Do(func() { e.p, e.err = gh.GetBranchProtection(ctx, org, repo, branch) })
	return e.p, e.err
}

// policyFor is PolicyFor with, when context_options sets
// from-branch-protection for the branch, the contexts its protection
// requires added to the required ones: those config.yaml's
// branch-protection requires (what Prow's tide reads) and those the
// branch's protection on GitHub requires (what GitHub will enforce on the
// merge). A failed read fails the pool: tide must not merge without
// knowing what GitHub will require.
func (c *Controller) policyFor(ctx context.Context, cfg *config.Config, org, repo, branch string) (ContextPolicy, error) {
	t := &cfg.Tide
	p, err := PolicyFor(t, org, repo, branch)
	if err != nil || !FromBranchProtection(t, org, repo, branch) {
		return p, err
	}
	p = p.WithRequired(cfg.BranchProtection.RequiredContexts(org, repo, branch))
	bp, err := c.protections.get(ctx, c.opts.GitHub, org, repo, branch)
	if err != nil {
		return p, fmt.Errorf("context_options from-branch-protection: %w", err)
	}
	return p.WithRequired(bp.RequiredContexts), nil
}

// FromBranchProtection says whether context_options sets
// from-branch-protection for org/repo's branch; as every flag, the value
// set lowest (branch, repo, org, top level) wins.
func FromBranchProtection(t *config.Tide, org, repo, branch string) bool {
	on := false
	set := func(p config.TideContextPolicy) {
		if p.FromBranchProtection != nil {
			on = *p.FromBranchProtection
		}
	}
	o := t.ContextOptions
	set(o.TideContextPolicy)
	if org, ok := o.Orgs[org]; ok {
		set(org.TideContextPolicy)
		if r, ok := org.Repos[repo]; ok {
			set(r.TideContextPolicy)
			if b, ok := r.Branches[branch]; ok {
				set(b)
			}
		}
	}
	return on
}

// WithRequired adds contexts to the required ones, each once.
func (p ContextPolicy) WithRequired(contexts []string) ContextPolicy {
	seen := map[string]bool{}
	out := make([]string, 0, len(p.Required)+len(contexts))
	for _, c := range append(append([]string(nil), p.Required...), contexts...) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	p.Required = out
	return p
}
