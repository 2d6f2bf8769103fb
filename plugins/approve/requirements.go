package approve

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/prowbot/prow/plugins"
)

// Requirements are what the approval needs beyond OWNERS: an associated
// issue when the repo sets issue_required, and whether a person added
// the approved label by hand (which stands in for the OWNERS approvals).
type Requirements struct {
	IssueRequired bool
	// Issue is the issue the pull request body references, or 0.
	Issue int
	// NoIssueBy are the approvers who said `/approve no-issue`.
	NoIssueBy []string
	// ManualBy is who added the approved label by hand, or "".
	ManualBy string
}

// Apply folds the requirements into an OWNERS status.
func (r Requirements) Apply(st Status) Status {
	st.Requirements = r
	if r.IssueRequired && r.Issue == 0 && len(r.NoIssueBy) == 0 {
		st.Approved = false
	}
	if r.ManualBy != "" {
		st.Approved = true
	}
	return st
}

// AssociatedIssue finds the first issue of org/repo a pull request body
// references, as "#N" or a link to the issue; 0 if none.
func AssociatedIssue(org, repo, body string) int {
	re := regexp.MustCompile(`(?i)(?:^|[\s(])(?:https?://github\.com/` + regexp.QuoteMeta(org) + `/` + regexp.QuoteMeta(repo) + `/issues/|#)(\d+)\b`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// NoIssueApprovers replays the votes and returns the users whose standing
// approval is `/approve no-issue`, among those approving.
func NoIssueApprovers(votes []Vote, approving map[string]bool) []string {
	last := map[string]bool{}
	for _, v := range votes {
		if v.FromBot {
			continue
		}
		who := strings.ToLower(v.User)
		for _, inv := range plugins.ParseCommands(v.Body) {
			switch commandVote(inv, false) {
			case 1:
				last[who] = strings.EqualFold(inv.Args, "no-issue")
			case -1:
				delete(last, who)
			}
		}
	}
	var out []string
	for who, noIssue := range last {
		if noIssue && approving[who] {
			out = append(out, who)
		}
	}
	sort.Strings(out)
	return out
}

// issueLines renders the requirements' lines of the notification.
func (r Requirements) issueLines() string {
	var b strings.Builder
	if r.ManualBy != "" {
		fmt.Fprintf(&b, "\nApproval requirements bypassed by manually added approval (by *%s*).\n", r.ManualBy)
	}
	if !r.IssueRequired {
		return b.String()
	}
	switch {
	case r.Issue > 0:
		fmt.Fprintf(&b, "\n**Associated issue:** #%d\n", r.Issue)
	case len(r.NoIssueBy) > 0:
		fmt.Fprintf(&b, "\nAssociated issue requirement bypassed by: %s\n", emphasize(r.NoIssueBy))
	default:
		b.WriteString("\n*No associated issue*. Update the pull request body to reference an issue, or have an approver say `/approve no-issue`.\n")
	}
	return b.String()
}

// meta is the machine-readable tail of the notification.
type meta struct {
	Approvers []string `json:"approvers"`
	ManualBy  string   `json:"manually_approved_by,omitempty"`
}

const metaPrefix = "<!-- META="

// readMeta reads a notification's metadata (zero when absent or bad).
func readMeta(body string) meta {
	var m meta
	i := strings.LastIndex(body, metaPrefix)
	if i < 0 {
		return m
	}
	rest, _, _ := strings.Cut(body[i+len(metaPrefix):], " -->")
	_ = json.Unmarshal([]byte(rest), &m)
	return m
}
