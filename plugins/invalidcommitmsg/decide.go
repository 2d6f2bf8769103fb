package invalidcommitmsg

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "invalidcommitmsg"

// Label blocks a pull request with an invalid commit message.
const Label = "do-not-merge/invalid-commit-message"

// Marker starts the bot's comment.
const Marker = "<!-- prow:invalidcommitmsg -->"

// The checks invalid_commit_msg can turn off.
const (
	CheckClosingKeywords = "issueClosingKeywords"
	CheckFixupPrefix     = "fixupPrefix"
)

var (
	// closingRe finds a keyword GitHub closes issues with, followed by
	// an issue reference (#12, org/repo#12).
	closingRe = regexp.MustCompile(`(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)[\s:]+(?:[\w.-]+/[\w.-]+)?#\d+\b`)
	// mentionRe finds an @mention (not the @ of an e-mail address).
	mentionRe = regexp.MustCompile(`\B@[A-Za-z0-9][\w-]*`)
	// fixupRe finds the subject git's --fixup and --squash give.
	fixupRe = regexp.MustCompile(`^(?:fixup|amend|squash)! `)
)

// The problems a message can have.
const (
	ProblemMention = "@mention"
	ProblemClosing = "issue-closing keyword"
	ProblemFixup   = "fixup commit"
)

// Problems lists what is wrong with a commit message (or, with commit
// false, a pull request title) under cfg.
func Problems(message string, commit bool, cfg pluginconfig.InvalidCommitMsg) []string {
	var out []string
	if mentionRe.MatchString(message) {
		out = append(out, ProblemMention)
	}
	if !cfg.CheckDisabled(CheckClosingKeywords) && closingRe.MatchString(message) {
		out = append(out, ProblemClosing)
	}
	if commit && !cfg.CheckDisabled(CheckFixupPrefix) && fixupRe.MatchString(message) {
		out = append(out, ProblemFixup)
	}
	return out
}

// Finding is one commit with problems.
type Finding struct {
	SHA, Subject string
	Problems     []string
}

// Result is what Check found.
type Result struct {
	Commits []Finding
	// Title lists the title's problems.
	Title []string
}

// Invalid says whether anything needs fixing.
func (r Result) Invalid() bool { return len(r.Commits) > 0 || len(r.Title) > 0 }

// Check looks at a pull request's commits and title.
func Check(commits []github.PullRequestCommit, title string, cfg pluginconfig.InvalidCommitMsg) Result {
	r := Result{Title: Problems(title, false, cfg)}
	for _, c := range commits {
		if p := Problems(c.Message, true, cfg); len(p) > 0 {
			subject, _, _ := strings.Cut(c.Message, "\n")
			r.Commits = append(r.Commits, Finding{SHA: c.SHA, Subject: subject, Problems: p})
		}
	}
	return r
}

// Action is what to do to a pull request's label and comment.
type Action int

// The actions.
const (
	// Keep leaves the pull request as it is.
	Keep Action = iota
	// Block writes the comment (or brings it up to date) and the label.
	Block
	// Unblock deletes the comment and removes the label.
	Unblock
)

// Decide says what to do to a pull request that is (or is not) invalid
// and carries (or lacks) the label.
func Decide(invalid, hasLabel bool) Action {
	switch {
	case invalid:
		return Block
	case hasLabel:
		return Unblock
	}
	return Keep
}

// Notice is the bot's comment to author about r.
func Notice(author string, r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n@%s: this pull request cannot merge as it is, so I added the `%s` label:\n\n", Marker, author, Label)
	for _, f := range r.Commits {
		sha := f.SHA
		if len(sha) > 7 {
			sha = sha[:7]
		}
		fmt.Fprintf(&b, "- commit %s (%s) has %s\n", sha, f.Subject, strings.Join(plural(f.Problems), " and "))
	}
	if len(r.Title) > 0 {
		fmt.Fprintf(&b, "- the title, which a squash merge makes the commit message, has %s\n", strings.Join(plural(r.Title), " and "))
	}
	b.WriteString("\nCommit messages stay in the history: an @mention there notifies the person again whenever the commit is pushed somewhere, " +
		"and a keyword such as `Fixes #12` closes the issue wherever the commit lands. Put those in the pull request's description instead. " +
		"Fixup commits are meant to be squashed before merging (`git rebase -i --autosquash <base>`).\n\n" +
		"Rewrite the messages (`git rebase -i <base>`, then `reword`) and force-push, or edit the title; the label comes off once nothing is left.")
	return b.String()
}

func plural(problems []string) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = "an " + p
		if p == ProblemFixup {
			out[i] = "a " + p + " subject"
		}
	}
	return out
}
