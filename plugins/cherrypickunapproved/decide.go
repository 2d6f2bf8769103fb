package cherrypickunapproved

import "regexp"

// Name is the plugin's name in plugins.yaml.
const Name = "cherry-pick-unapproved"

// The labels: Approved is set by people (or the cherry-pick-approved
// plugin), Unapproved by this plugin.
const (
	Approved   = "cherry-pick-approved"
	Unapproved = "do-not-merge/cherry-pick-not-approved"
)

// Marker starts the bot's comment.
const Marker = "<!-- prow:cherry-pick-unapproved -->"

// DefaultComment is the comment when cherry_pick_unapproved.comment is
// not set.
const DefaultComment = "This pull request targets a release branch, so it is a cherry-pick, and it lacks the `" + Approved +
	"` label. I added the `" + Unapproved + "` label, which keeps it from merging until the cherry-pick is approved."

// Action is what to do to a pull request.
type Action int

// The actions.
const (
	// Keep leaves the pull request as it is.
	Keep Action = iota
	// Block comments (unless the comment is there) and adds Unapproved.
	Block
	// Unblock removes Unapproved.
	Unblock
)

// Decide says what to do to a pull request against base, given branchRe
// and whether it carries the two labels.
func Decide(branchRe *regexp.Regexp, base string, approved, unapproved bool) Action {
	if branchRe == nil || !branchRe.MatchString(base) {
		return Keep
	}
	switch {
	case approved && unapproved:
		return Unblock
	case !approved && !unapproved:
		return Block
	}
	return Keep
}
