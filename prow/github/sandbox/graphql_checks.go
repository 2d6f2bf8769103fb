package sandbox

import (
	"sort"
	"strings"
)

// latestCheckRuns is the newest check run of each name on sha, by name.
func latestCheckRuns(rp *repo, sha string) []*checkRun {
	seen := map[string]bool{}
	var out []*checkRun
	for k := len(rp.CheckRuns) - 1; k >= 0; k-- {
		cr := rp.CheckRuns[k]
		if cr.HeadSHA == sha && !seen[cr.Name] {
			seen[cr.Name] = true
			out = append(out, cr)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// checkRunState is the state a check run adds to a commit's rollup:
// success for the conclusions success, neutral and skipped, pending until
// it completes, failure otherwise.
func checkRunState(cr *checkRun) string {
	switch {
	case cr.Status != "completed":
		return "pending"
	case cr.Conclusion == "success" || cr.Conclusion == "neutral" || cr.Conclusion == "skipped":
		return "success"
	}
	return "failure"
}

// gqlRollup is a StatusCheckRollup: the head's latest statuses and check
// runs together.
type gqlRollup struct {
	checks   []*checkRun
	statuses []*gqlStatusContext
	state    string
}

// StatusCheckRollup is null when the commit has neither statuses nor
// check runs.
func (c *gqlCommit) StatusCheckRollup() *gqlRollup {
	r := &gqlRollup{checks: latestCheckRuns(c.rp, string(c.Oid))}
	if st := c.Status(); st != nil {
		r.statuses = st.Contexts
	}
	if len(r.checks) == 0 && len(r.statuses) == 0 {
		return nil
	}
	states := make([]*status, 0, len(r.checks)+len(r.statuses))
	for _, cr := range r.checks {
		states = append(states, &status{State: checkRunState(cr)})
	}
	for _, sc := range r.statuses {
		states = append(states, &status{State: strings.ToLower(sc.State)})
	}
	r.state = strings.ToUpper(combinedState(states))
	return r
}

func (r *gqlRollup) State() string { return r.state }

// gqlRollupContexts is a StatusCheckRollupContextConnection: the check
// runs, then the statuses.
type gqlRollupContexts struct {
	r     *gqlRollup
	nodes []*gqlRollupContext
	info  gqlPageInfo
}

func (r *gqlRollup) Contexts(args connArgs) (*gqlRollupContexts, error) {
	all := make([]*gqlRollupContext, 0, len(r.checks)+len(r.statuses))
	for _, cr := range r.checks {
		all = append(all, &gqlRollupContext{check: cr})
	}
	for _, sc := range r.statuses {
		all = append(all, &gqlRollupContext{status: sc})
	}
	start, end, err := args.window(len(all), "contexts")
	if err != nil {
		return nil, err
	}
	nodes := all[start:end]
	return &gqlRollupContexts{r: r, nodes: nodes, info: pageInfo(start, end, len(all))}, nil
}

func (c *gqlRollupContexts) Nodes() *[]*gqlRollupContext { return &c.nodes }
func (c *gqlRollupContexts) PageInfo() gqlPageInfo       { return c.info }
func (c *gqlRollupContexts) CheckRunCount() int32        { return int32(len(c.r.checks)) }
func (c *gqlRollupContexts) StatusContextCount() int32   { return int32(len(c.r.statuses)) }
func (c *gqlRollupContexts) TotalCount() int32 {
	return int32(len(c.r.checks) + len(c.r.statuses))
}

// gqlRollupContext is the union StatusCheckRollupContext.
type gqlRollupContext struct {
	check  *checkRun
	status *gqlStatusContext
}

func (c *gqlRollupContext) ToCheckRun() (*gqlCheckRun, bool) {
	if c.check == nil {
		return nil, false
	}
	return newGQLCheckRun(c.check), true
}

func (c *gqlRollupContext) ToStatusContext() (*gqlStatusContext, bool) {
	return c.status, c.status != nil
}

// gqlCheckRun is a CheckRun.
type gqlCheckRun struct {
	CompletedAt *gqlDateTime
	Conclusion  *string
	DatabaseID  *int32
	DetailsURL  *gqlURI
	Name        string
	StartedAt   *gqlDateTime
	Status      string
	Summary     *string
	Title       *string
}

func newGQLCheckRun(cr *checkRun) *gqlCheckRun {
	id := int32(cr.ID)
	started := gqlDateTime(ts(cr.StartedAt))
	out := &gqlCheckRun{Name: cr.Name, Status: strings.ToUpper(cr.Status), DatabaseID: &id, StartedAt: &started}
	if cr.Conclusion != "" {
		c := strings.ToUpper(cr.Conclusion)
		out.Conclusion = &c
	}
	if cr.CompletedAt != nil {
		done := gqlDateTime(ts(*cr.CompletedAt))
		out.CompletedAt = &done
	}
	if cr.DetailsURL != "" {
		u := gqlURI(cr.DetailsURL)
		out.DetailsURL = &u
	}
	if cr.Title != "" {
		out.Title = &cr.Title
	}
	if cr.Summary != "" {
		out.Summary = &cr.Summary
	}
	return out
}
