package trigger

import (
	"fmt"
	"sort"
	"strings"

	"github.com/prowbot/prow/config"
)

// Messages the plugin posts.
const (
	// NeedsOkToTest and OkToTest are the trust labels.
	NeedsOkToTest = "needs-ok-to-test"
	OkToTest      = "ok-to-test"
	// LGTMLabel is the lgtm plugin's label; it starts an untrusted pull
	// request's jobs once.
	LGTMLabel = "lgtm"
	// UntrustedReply answers commands on a pull request nobody trusted yet.
	UntrustedReply = "Cannot trigger testing until a trusted user reviews the PR and leaves an `/ok-to-test` message."
	// helpMarker tags the job list comments so the next /test prunes them.
	helpMarker = "<!-- trigger: job list -->"
)

// WelcomeUntrusted is the comment on a pull request whose author is not
// trusted yet.
func WelcomeUntrusted(author, org, joinURL string) string {
	if joinURL == "" {
		joinURL = "https://github.com/orgs/" + org + "/people"
	}
	return fmt.Sprintf(`Hi @%s, thanks for the pull request.

Tests do not start on their own for contributors who are not yet members of [%s](%s). Once a member has read the change and finds it safe to test, they can reply `+"`/ok-to-test`"+` on a line of its own; the %s label then goes and the tests run. Until then, new commits are not tested automatically, though members can still start jobs with the usual commands.`,
		author, org, joinURL, "`"+NeedsOkToTest+"`")
}

// WelcomeIgnoringOkToTest is the comment on a pull request whose author is
// not trusted, in a repo that ignores /ok-to-test.
func WelcomeIgnoringOkToTest(author string) string {
	return fmt.Sprintf(`Hi @%s, thanks for the pull request.

Tests do not start on their own for contributors who are not yet trusted here, and this repository does not let `+"`/ok-to-test`"+` change that. Collaborators can still start the tests with `+"`/test all`"+`.`, author)
}

// DraftSkipped is the comment on a draft opened by a trusted author.
const DraftSkipped = "Tests are skipped while this pull request is a draft. Mark it ready for review to run them, or start them now with `/test all`."

// JobHelp lists the commands that start each job of a pull request
// against branch: required jobs, optional jobs, and what /test all runs.
func JobHelp(presubmits []config.Presubmit, branch, note string) string {
	var required, optional, auto []string
	for _, ps := range presubmits {
		if !ps.CouldRun(branch) {
			continue
		}
		cmd := ps.RerunCommand
		if cmd == "" {
			cmd = config.DefaultRerunCommandFor(ps.Name)
		}
		if ps.Optional {
			optional = append(optional, "`"+cmd+"`")
		} else {
			required = append(required, "`"+cmd+"`")
		}
		if !ps.NeedsExplicitTrigger() {
			auto = append(auto, ps.Name)
		}
	}
	var b strings.Builder
	if note != "" {
		b.WriteString(note + "\n\n")
	}
	if len(required)+len(optional) == 0 {
		b.WriteString("No presubmit jobs are configured for this branch.\n")
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		sort.Strings(items)
		b.WriteString(title + "\n")
		for _, it := range items {
			b.WriteString("* " + it + "\n")
		}
		b.WriteString("\n")
	}
	list("The following commands are available to trigger required jobs:", required)
	list("The following commands are available to trigger optional jobs:", optional)
	list("Use `/test all` to run the following jobs that were automatically triggered:", auto)
	b.WriteString(helpMarker)
	return b.String()
}
