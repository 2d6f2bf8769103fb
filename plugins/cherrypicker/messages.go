package cherrypicker

import (
	"fmt"
	"strings"
)

// The bot's replies. Each is addressed to the requester (see reply).

func refusedMessage(org string) string {
	return fmt.Sprintf("only members of the [%s](https://github.com/orgs/%s/people) organization can ask me for cherry-picks. "+
		"If you are one, make your membership public; otherwise, cherry-pick the change by hand.", org, org)
}

func rememberMessage(targets []string) string {
	return fmt.Sprintf("once this pull request merges, I will cherry-pick it onto %s in a new pull request and assign it to you.", quoteList(targets))
}

const unmergedMessage = "this pull request was closed without merging: there is nothing to cherry-pick."

func sameBranchMessage(base string) string {
	return fmt.Sprintf("`%s` is the branch this pull request merged into: a cherry-pick needs another branch.", base)
}

func noBranchMessage(target string) string {
	return fmt.Sprintf("I cannot cherry-pick onto `%s`: the repository has no such branch.", target)
}

func conflictMessage(n int, target, output string) string {
	return fmt.Sprintf("the cherry-pick of #%d onto `%s` failed: its commits do not apply there.\n\n```\n%s\n```\n\nPlease cherry-pick it by hand.", n, target, output)
}

func failedMessage(target string, err error) string {
	return fmt.Sprintf("the cherry-pick onto `%s` failed: %v", target, err)
}

func createdMessage(target string, created int) string {
	return fmt.Sprintf("the cherry-pick onto `%s` is #%d.", target, created)
}

func alreadyMessage(n int, target string, existing int) string {
	return fmt.Sprintf("#%d is already cherry-picked onto `%s` in #%d.", n, target, existing)
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "`" + s + "`"
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
