package requirematchinglabel

import (
	"regexp"
	"strings"
	"time"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "require-matching-label"

// DefaultGracePeriod is how long after opening the check waits when an
// entry sets no grace_period.
const DefaultGracePeriod = 5 * time.Second

// Target is what a check is about.
type Target struct {
	Org, Repo string
	IsPR      bool
	// Branch is a pull request's base branch.
	Branch string
}

// Applies reports whether entry r covers t. The branch is an anchored
// regexp (a plain branch name matches itself); an invalid one, which
// plugins.yaml validation rejects, covers nothing.
func Applies(r pluginconfig.RequireMatchingLabel, t Target) bool {
	if !strings.EqualFold(r.Org, t.Org) || (r.Repo != "" && !strings.EqualFold(r.Repo, t.Repo)) {
		return false
	}
	if !t.IsPR {
		return r.Issues
	}
	if !r.PRs {
		return false
	}
	if r.Branch == "" {
		return true
	}
	re, err := regexp.Compile(`^(?:` + r.Branch + `)$`)
	return err == nil && re.MatchString(t.Branch)
}

// Matching returns the entries of cfgs that cover t.
func Matching(cfgs []pluginconfig.RequireMatchingLabel, t Target) []pluginconfig.RequireMatchingLabel {
	var out []pluginconfig.RequireMatchingLabel
	for _, r := range cfgs {
		if Applies(r, t) {
			out = append(out, r)
		}
	}
	return out
}

// Action is what one entry does to an issue or pull request.
type Action int

// The actions.
const (
	Nothing Action = iota
	// AddMissing adds the missing label (and comments, if configured).
	AddMissing
	// RemoveMissing removes the missing label (and the bot's comment).
	RemoveMissing
)

// Decide says what entry r does to something carrying the labels have. A label
// matches when the regexp finds it; the missing label itself never
// counts as a match. An invalid regexp decides nothing.
func Decide(r pluginconfig.RequireMatchingLabel, have []string) Action {
	re, err := regexp.Compile(r.Regexp)
	if err != nil {
		return Nothing
	}
	hasMissing, matched := false, false
	for _, l := range have {
		if labels.Equal(l, r.MissingLabel) {
			hasMissing = true
			continue
		}
		if re.MatchString(l) {
			matched = true
		}
	}
	switch {
	case matched && hasMissing:
		return RemoveMissing
	case !matched && !hasMissing:
		return AddMissing
	}
	return Nothing
}

// GracePeriod is the longest grace period of the entries.
func GracePeriod(cfgs []pluginconfig.RequireMatchingLabel) time.Duration {
	var longest time.Duration
	for _, r := range cfgs {
		d := DefaultGracePeriod
		if r.GracePeriod != "" {
			if parsed, err := time.ParseDuration(r.GracePeriod); err == nil {
				d = parsed
			}
		}
		if d > longest {
			longest = d
		}
	}
	return longest
}

// Wait is how long to wait, at now, before checking something created at
// created with the given grace period: nothing once the period is over.
func Wait(created, now time.Time, grace time.Duration) time.Duration {
	if created.IsZero() {
		return grace
	}
	if left := created.Add(grace).Sub(now); left > 0 {
		return left
	}
	return 0
}
