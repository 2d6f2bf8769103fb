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
		out = append(out, Status{Context: sc.Context, State: strings.ToLower(sc.State),
			Description: stringOf(sc.Description), TargetURL: stringOf(sc.TargetURL)})
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
		out = append(out, Status{Context: cr.Name, State: CheckRunState(strings.ToLower(cr.Status), strings.ToLower(stringOf(cr.Conclusion))),
			Description: stringOf(cr.Title), TargetURL: stringOf(cr.DetailsURL)})
	}
	return out
}

// stringOf is what s points at, "" when GraphQL gave null.
func stringOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
