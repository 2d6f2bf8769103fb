package deck

import (
	"strings"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/words"
)

// queryWords says in words which pull requests a tide query selects:
// "Pull requests in demo/hello or demo/other, with the labels lgtm and
// approved, without the label do-not-merge/hold."
func queryWords(q config.TideQuery) string {
	var scope []string
	for _, o := range q.Orgs {
		scope = append(scope, "any repository of "+o)
	}
	scope = append(scope, q.Repos...)
	var b strings.Builder
	b.WriteString("Pull requests")
	if len(scope) > 0 {
		b.WriteString(" in " + orList(scope))
	}
	var parts []string
	if len(q.ExcludedRepos) > 0 {
		parts = append(parts, "except in "+orList(q.ExcludedRepos))
	}
	if len(q.IncludedBranches) > 0 {
		parts = append(parts, "to "+words.Plural(len(q.IncludedBranches), "branch ", "branches ")+orList(q.IncludedBranches))
	}
	if len(q.ExcludedBranches) > 0 {
		parts = append(parts, "not to "+words.Plural(len(q.ExcludedBranches), "branch ", "branches ")+orList(q.ExcludedBranches))
	}
	if len(q.Labels) > 0 {
		labels := make([]string, 0, len(q.Labels))
		for _, entry := range q.Labels {
			labels = append(labels, orList(strings.Split(entry, ",")))
		}
		parts = append(parts, words.Plural(len(labels), "with the label ", "with the labels ")+andList(labels))
	}
	if len(q.MissingLabels) > 0 {
		parts = append(parts, words.Plural(len(q.MissingLabels), "without the label ", "without any of the labels ")+orList(q.MissingLabels))
	}
	if q.Author != "" {
		parts = append(parts, "by "+q.Author)
	}
	if q.Milestone != "" {
		parts = append(parts, "in milestone "+q.Milestone)
	}
	if q.ReviewApprovedRequired {
		parts = append(parts, "approved in a GitHub review")
	}
	for _, p := range parts {
		b.WriteString(", " + p)
	}
	b.WriteString(".")
	return b.String()
}

// orList is "a", "a or b", "a, b or c".
func orList(items []string) string { return joinLast(items, " or ") }

// andList is "a", "a and b", "a, b and c".
func andList(items []string) string { return joinLast(items, " and ") }

func joinLast(items []string, last string) string {
	trimmed := make([]string, 0, len(items))
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			trimmed = append(trimmed, it)
		}
	}
	switch len(trimmed) {
	case 0:
		return ""
	case 1:
		return trimmed[0]
	}
	return strings.Join(trimmed[:len(trimmed)-1], ", ") + last + trimmed[len(trimmed)-1]
}
