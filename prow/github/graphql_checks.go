package github

import "strings"

// gqlStatusContext is the fields of a commit status the search reads.
type gqlStatusContext struct {
	Context     string
	State       string
	Description *string
	TargetURL   *string `graphql:"targetUrl"`
}

// appendStatusContexts adds the commit's statuses as contexts, states
// lower-cased as REST gives them.
func appendStatusContexts(out []Status, contexts []gqlStatusContext) []Status {
	for _, sc := range contexts {
		st := Status{Context: sc.Context, State: strings.ToLower(sc.State)}
		if sc.Description != nil {
			st.Description = *sc.Description
		}
		if sc.TargetURL != nil {
			st.TargetURL = *sc.TargetURL
		}
		out = append(out, st)
	}
	return out
}

// gqlCheckRun is the fields of a check run the search reads from the head
// commit's statusCheckRollup.
type gqlCheckRun struct {
	Name       string
	Status     string
	Conclusion *string
	Title      *string
	DetailsURL *string `graphql:"detailsUrl"`
}

// gqlRollupNode is a StatusCheckRollupContext, read only when it is a
// check run.
type gqlRollupNode struct {
	CheckRun gqlCheckRun `graphql:"... on CheckRun"`
}

// appendCheckRuns adds the rollup's check runs (its status contexts are
// read from the commit's status) as contexts.
func appendCheckRuns(out []Status, nodes []gqlRollupNode) []Status {
	for _, n := range nodes {
		cr := n.CheckRun
		if cr.Name == "" { // a status context
			continue
		}
		conclusion := ""
		if cr.Conclusion != nil {
			conclusion = strings.ToLower(*cr.Conclusion)
		}
		st := Status{Context: cr.Name, State: CheckRunState(strings.ToLower(cr.Status), conclusion)}
		if cr.Title != nil {
			st.Description = *cr.Title
		}
		if cr.DetailsURL != nil {
			st.TargetURL = *cr.DetailsURL
		}
		out = append(out, st)
	}
	return out
}
