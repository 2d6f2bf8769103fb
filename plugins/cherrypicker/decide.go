package cherrypicker

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/prowbot/prow/plugins"
)

// DefaultLabelPrefix starts the labels that ask for a cherry-pick when
// cherrypicker.label_prefix is not set, as in Prow.
const DefaultLabelPrefix = "cherrypick/"

// Request is one ask for a cherry-pick of a pull request onto Target.
type Request struct {
	Target    string
	Requester string
	// CommentURL and CommentBody are the comment that asked; both empty
	// when a label asked (Label names it).
	CommentURL, CommentBody string
	Label                   string
}

// Comment is a comment on the pull request, as Requests reads it.
type Comment struct {
	User, Body, HTMLURL string
}

// Targets are the branches the commands of a comment name, once each, in
// order.
func Targets(invs []plugins.Invocation) []string {
	var out []string
	seen := map[string]bool{}
	for _, inv := range invs {
		if inv.Name != "cherrypick" && inv.Name != "cherry-pick" {
			continue
		}
		t := strings.TrimSpace(inv.Args)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// Requests gathers the cherry-picks asked for on a pull request as it
// merges: the /cherrypick commands of its comments (the bot's own left
// out), in order, then the labels that start with prefix, which count as
// the pull request's author asking. Who may ask is checked after, then
// Unique keeps one request per branch.
func Requests(comments []Comment, labels []string, author, prefix, bot string) []Request {
	var out []Request
	add := func(r Request) { out = append(out, r) }
	for _, c := range comments {
		if strings.EqualFold(c.User, bot) {
			continue
		}
		for _, t := range Targets(plugins.ParseCommands(c.Body)) {
			add(Request{Target: t, Requester: c.User, CommentURL: c.HTMLURL, CommentBody: c.Body})
		}
	}
	for _, l := range labels {
		if r, ok := FromLabel(l, author, prefix); ok {
			add(r)
		}
	}
	return out
}

// Unique keeps the first request for each branch: a branch asked for
// twice is picked once, for the first (allowed) asker.
func Unique(reqs []Request) []Request {
	var out []Request
	seen := map[string]bool{}
	for _, r := range reqs {
		if !seen[r.Target] {
			seen[r.Target] = true
			out = append(out, r)
		}
	}
	return out
}

// FromLabel is the request a label makes, if it starts with prefix and
// names a branch.
func FromLabel(label, author, prefix string) (Request, bool) {
	if prefix == "" {
		prefix = DefaultLabelPrefix
	}
	t, ok := strings.CutPrefix(label, prefix)
	if !ok || strings.TrimSpace(t) == "" {
		return Request{}, false
	}
	return Request{Target: strings.TrimSpace(t), Requester: author, Label: label}, true
}

// Step is what to do with a request for a pull request in a given state.
type Step int

// The steps of a request.
const (
	// Refuse: the requester may not ask (not an org member).
	Refuse Step = iota
	// Remember: the pull request is open; the request is read again
	// from its comments and labels when it merges.
	Remember
	// Unmerged: the pull request was closed without merging.
	Unmerged
	// SameBranch: the target is the pull request's own base.
	SameBranch
	// Pick: cherry-pick it now.
	Pick
)

// Decide is the step for a request of target on a pull request that is
// open (or closed and merged or not) into base, by a requester allowed
// (an org member, or anyone under allow_all) or not.
func Decide(open, merged, allowed bool, base, target string) Step {
	switch {
	case !allowed:
		return Refuse
	case open:
		return Remember
	case !merged:
		return Unmerged
	case target == base:
		return SameBranch
	}
	return Pick
}

// ValidBranch reports whether name can be a branch name (git's rules, in
// short): anything else is answered as a missing branch, never handed to
// git.
func ValidBranch(name string) bool {
	if name == "" || strings.HasPrefix(name, "-") || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") ||
		strings.HasSuffix(name, ".") || strings.HasSuffix(name, ".lock") || strings.Contains(name, "..") ||
		strings.Contains(name, "//") || strings.Contains(name, "@{") || name == "@" {
		return false
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("~^:?*[\\", r) {
			return false
		}
	}
	return true
}

// BranchName is the branch a cherry-pick of pull request n onto target
// is pushed to, Prow's name for it.
func BranchName(n int, target string) string {
	return fmt.Sprintf("cherry-pick-%d-to-%s", n, target)
}

// Title is the cherry-pick's title: "[target] " and the original title,
// without an "[base] " it started with (a cherry-pick of a cherry-pick).
func Title(target, base, title string) string {
	return "[" + target + "] " + strings.TrimPrefix(title, "["+base+"] ")
}

// releaseNoteRe finds the release note of a pull request's body: a
// ```release-note block, or a fenced block after "Release note**:".
var releaseNoteRe = regexp.MustCompile("(?s)(?:Release note\\*\\*:\\s*(?:<!--[^<>]*-->\\s*)?```(?:release-note)?|```release-note)(.+?)```")

// Body is the cherry-pick's description: which pull request it picks,
// "/assign" of the requester, and the original's release note if it had
// one.
func Body(n int, requester, original string) string {
	body := fmt.Sprintf("This is an automated cherry-pick of #%d", n)
	if requester != "" {
		body += "\n\n/assign " + requester
	}
	if m := releaseNoteRe.FindStringSubmatch(original); m != nil {
		body += "\n\n```release-note\n" + strings.TrimSpace(m[1]) + "\n```"
	}
	return body
}
