package dco

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "dco"

// The status context and labels the plugin sets.
const (
	Context  = "dco"
	LabelYes = "dco-signoff: yes"
	LabelNo  = "dco-signoff: no"
)

// Marker starts the bot's comment listing the commits without sign-off.
const Marker = "<!-- prow:dco -->"

// The status descriptions.
const (
	DescSuccess = "All commits are signed off"
	DescFailure = "Commits lack a Signed-off-by line"
)

var signedOffRe = regexp.MustCompile(`(?mi)^signed-off-by:`)

// SignedOff says whether a commit message carries a sign-off line.
func SignedOff(message string) bool { return signedOffRe.MatchString(message) }

// Unsigned returns the commits without a sign-off whose author is not in
// exempt (logins, lower-cased), in order.
func Unsigned(commits []github.PullRequestCommit, exempt map[string]bool) []github.PullRequestCommit {
	var out []github.PullRequestCommit
	for _, c := range commits {
		if SignedOff(c.Message) || (c.Author != "" && exempt[strings.ToLower(c.Author)]) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// Plan is what to do to a pull request.
type Plan struct {
	// AddLabel and RemoveLabel are "" when nothing is to change.
	AddLabel, RemoveLabel string
	// Status is the status to write; nil when the current one is right.
	Status *github.Status
	// Notify says the bot's comment must list the unsigned commits; when
	// false the comment is deleted.
	Notify bool
}

// Decide plans the labels, status and comment of a pull request with
// unsigned commits left, that carries labels and whose head has the
// current dco status (zero when none), linking guide.
func Decide(unsigned int, labels []string, current github.Status, guide string) Plan {
	want, other := LabelYes, LabelNo
	st := github.Status{Context: Context, State: "success", Description: DescSuccess, TargetURL: guide}
	if unsigned > 0 {
		want, other = LabelNo, LabelYes
		st.State, st.Description = "failure", DescFailure
	}
	p := Plan{Notify: unsigned > 0}
	if !hasLabel(labels, want) {
		p.AddLabel = want
	}
	if hasLabel(labels, other) {
		p.RemoveLabel = other
	}
	if current.State != st.State || current.Description != st.Description || current.TargetURL != st.TargetURL {
		p.Status = &st
	}
	return p
}

// GuideURL is where the status and comment point: the contributing guide
// per the dco settings of org/repo.
func GuideURL(cfg pluginconfig.DCO, org, repo string) string {
	where, branch, path := org+"/"+repo, "master", "CONTRIBUTING.md"
	if cfg.ContributingRepo != "" {
		where = cfg.ContributingRepo
	}
	if cfg.ContributingBranch != "" {
		branch = cfg.ContributingBranch
	}
	if cfg.ContributingPath != "" {
		path = strings.TrimPrefix(cfg.ContributingPath, "/")
	}
	return fmt.Sprintf("https://github.com/%s/blob/%s/%s", where, branch, path)
}

// TrustedApp says whether login is a GitHub App listed in apps (named
// without the "[bot]" suffix its logins carry).
func TrustedApp(apps []string, login string) bool {
	app, ok := strings.CutSuffix(login, "[bot]")
	if !ok {
		return false
	}
	for _, a := range apps {
		if strings.EqualFold(a, app) {
			return true
		}
	}
	return false
}

// Notice is the bot's comment to author about the unsigned commits.
func Notice(author string, unsigned []github.PullRequestCommit, guide string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n@%s: thanks for the pull request! Every commit needs a Developer Certificate of Origin sign-off, "+
		"a `Signed-off-by: Your Name <you@example.com>` line at the end of its message, and %d of them have none:\n\n", Marker, author, len(unsigned))
	for _, c := range unsigned {
		sha := c.SHA
		if len(sha) > 7 {
			sha = sha[:7]
		}
		subject, _, _ := strings.Cut(c.Message, "\n")
		fmt.Fprintf(&b, "- %s %s\n", sha, subject)
	}
	fmt.Fprintf(&b, "\n`git commit -s` adds the line to a new commit; `git rebase --signoff <base>` adds it to the ones you made, then force-push. "+
		"The [contributing guide](%s) says more. Comment `/check-dco` to have me check again. "+
		"While a commit lacks it, the pull request carries the `%s` label and a failing `%s` status.", guide, LabelNo, Context)
	return b.String()
}

func hasLabel(labels []string, label string) bool {
	for _, l := range labels {
		if strings.EqualFold(l, label) {
			return true
		}
	}
	return false
}
