package milestone

import (
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "milestone"

// clearArg is the argument that clears the milestone.
const clearArg = "clear"

// DefaultFriendlyName names the maintainers team in replies when
// maintainers_friendly_name is not configured.
const DefaultFriendlyName = "milestone maintainers"

// Maintainers returns the repo_milestone entry of org/repo: its own, or
// the default entry (key ""), and false when neither names a team.
func Maintainers(cfg *pluginconfig.Configuration, org, repo string) (pluginconfig.Milestone, bool) {
	if cfg == nil {
		return pluginconfig.Milestone{}, false
	}
	m, ok := cfg.RepoMilestone[org+"/"+repo]
	if !ok {
		m, ok = cfg.RepoMilestone[""]
	}
	if !ok || m.MaintainersTeam == "" {
		return pluginconfig.Milestone{}, false
	}
	if m.MaintainersFriendlyName == "" {
		m.MaintainersFriendlyName = DefaultFriendlyName
	}
	return m, true
}

// Action is what a /milestone command does.
type Action int

// The actions of /milestone.
const (
	Nothing       Action = iota // already as asked
	Set                         // put the issue in Verdict.Number
	Clear                       // take the issue out of its milestone
	NotAllowed                  // the commenter is not a maintainer
	Unknown                     // no open milestone has that title
	NotConfigured               // the repository has no maintainers team
)

// Verdict is the decision on a /milestone command.
type Verdict struct {
	Action Action
	// Number is the milestone to set, for Set.
	Number int
}

// Request is what Decide needs to know.
type Request struct {
	// Arg is the command's argument: a milestone title or "clear".
	Arg string
	// Configured says the repository has a maintainers team; Maintainer
	// says the commenter is in it.
	Configured, Maintainer bool
	// Current is the title of the milestone, "" when none.
	Current string
	// Milestones are the repository's open milestones.
	Milestones []github.Milestone
}

// Decide says what /milestone <arg> does. Titles match exactly, as on
// GitHub; "clear" in any case clears.
func Decide(r Request) Verdict {
	switch {
	case !r.Configured:
		return Verdict{Action: NotConfigured}
	case !r.Maintainer:
		return Verdict{Action: NotAllowed}
	case strings.EqualFold(r.Arg, clearArg):
		if r.Current == "" {
			return Verdict{Action: Nothing}
		}
		return Verdict{Action: Clear}
	}
	for _, m := range r.Milestones {
		if m.Title == r.Arg {
			if m.Title == r.Current {
				return Verdict{Action: Nothing}
			}
			return Verdict{Action: Set, Number: m.Number}
		}
	}
	return Verdict{Action: Unknown}
}
