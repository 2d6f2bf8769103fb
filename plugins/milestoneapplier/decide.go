package milestoneapplier

import (
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

// Name is the plugin's name in plugins.yaml.
const Name = "milestoneapplier"

// Configured returns the milestone configured for merges into branch of
// org/repo, and false when there is none.
func Configured(cfg *pluginconfig.Configuration, org, repo, branch string) (string, bool) {
	if cfg == nil {
		return "", false
	}
	m, ok := cfg.MilestoneApplier[org+"/"+repo][branch]
	return m, ok && m != ""
}

// Wants reports whether a merged pull request in milestone current, into
// the default branch or not, should move to the configured milestone.
func Wants(configured, current string, intoDefault bool) bool {
	switch {
	case configured == "" || current == configured:
		return false
	case intoDefault && current != "":
		// Someone chose a milestone for it; the default branch's
		// milestone is only a fallback.
		return false
	}
	return true
}

// Find returns the number of the open milestone titled title, and false
// when there is none.
func Find(milestones []github.Milestone, title string) (int, bool) {
	for _, m := range milestones {
		if m.Title == title {
			return m.Number, true
		}
	}
	return 0, false
}
