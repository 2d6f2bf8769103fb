package approve

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// NotificationPrefix starts the approve plugin's comment.
const NotificationPrefix = "[APPROVALNOTIFIER]"

// Notification renders the single comment that explains the approval
// state, ending with machine-readable metadata.
func Notification(org, repo string, st Status, helpLink string) string {
	var b strings.Builder
	state := "NOT APPROVED"
	if st.Approved {
		state = "APPROVED"
	}
	fmt.Fprintf(&b, "%s This PR is **%s**\n\n", NotificationPrefix, state)
	if len(st.Approvers) > 0 {
		fmt.Fprintf(&b, "This pull-request has been approved by: %s\n", emphasize(st.Approvers))
	}
	if len(st.Suggested) > 0 {
		fmt.Fprintf(&b, "\nTo complete the approval, ask %s to approve: they can comment `/approve`.\n", emphasize(st.Suggested))
	}
	b.WriteString(st.Requirements.issueLines())
	fmt.Fprintf(&b, "\nThe full list of commands accepted by this bot can be found [here](%s?repo=%s).\n", helpLink, url.QueryEscape(org+"/"+repo))
	if len(st.Units) > 0 {
		b.WriteString("\n<details>\nNeeds approval from an approver in each of these files:\n\n")
		for _, u := range st.Units {
			path := strings.TrimPrefix(u.Dir+"/OWNERS", "/")
			if len(u.ApprovedBy) > 0 {
				fmt.Fprintf(&b, "- ~~%s~~ [%s]\n", path, strings.Join(u.ApprovedBy, ","))
			} else {
				fmt.Fprintf(&b, "- **%s**\n", path)
			}
		}
		b.WriteString("\nApprovers can indicate their approval by writing `/approve` in a comment\nApprovers can cancel approval by writing `/approve cancel` in a comment\n</details>\n")
	}
	m, _ := json.Marshal(meta{Approvers: nonNil(st.Suggested), ManualBy: st.Requirements.ManualBy})
	fmt.Fprintf(&b, "%s%s -->", metaPrefix, m)
	return b.String()
}

func emphasize(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "*" + n + "*"
	}
	return strings.Join(out, ", ")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
