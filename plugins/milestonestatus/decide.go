package milestonestatus

import (
	"strings"

	"github.com/prowbot/prow/prow/labels"
)

// Name is the plugin's name in plugins.yaml.
const Name = "milestonestatus"

// Labels maps each status a /status command names to its label.
var Labels = map[string]string{
	"approved-for-milestone": "status/approved-for-milestone",
	"in-progress":            "status/in-progress",
	"in-review":              "status/in-review",
}

// Statuses are the statuses /status takes, in help order.
var Statuses = []string{"approved-for-milestone", "in-progress", "in-review"}

// Outcome is what a comment's /status commands do.
type Outcome int

// The outcomes.
const (
	Apply         Outcome = iota // add Decision.Add (possibly nothing)
	NotAllowed                   // the commenter is not in the team
	NotConfigured                // the repository has no maintainers team
)

// Decision is what to do about a comment's /status commands.
type Decision struct {
	Outcome Outcome
	// Add lists the labels to add, each once, in command order.
	Add []string
}

// Decide says what /status commands naming statuses do for a commenter
// who is (or is not) a maintainer, on an issue carrying labels.
func Decide(statuses []string, configured, maintainer bool, have []string) Decision {
	switch {
	case !configured:
		return Decision{Outcome: NotConfigured}
	case !maintainer:
		return Decision{Outcome: NotAllowed}
	}
	var d Decision
	for _, s := range statuses {
		l, ok := Labels[strings.ToLower(s)]
		if !ok || labels.Has(have, l) || labels.Has(d.Add, l) {
			continue
		}
		d.Add = append(d.Add, l)
	}
	return d
}
