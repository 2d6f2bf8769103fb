package branchcleaner

import (
	"strings"

	"github.com/prowbot/prow/config/pluginconfig"
)

// Name is the plugin's name in plugins.yaml.
const Name = "branchcleaner"

// Input is what Decide looks at of a pull request event.
type Input struct {
	Action string
	Merged bool
	// Org and Repo are the base repository; BaseRepo and HeadRepo are
	// "org/name" of the two sides.
	Org, Repo          string
	BaseRepo, HeadRepo string
	Branch             string // the head branch
	DefaultBranch      string
}

// Verdict is Decide's answer.
type Verdict int

// The verdicts; only Delete deletes.
const (
	Delete Verdict = iota
	NotMerged
	FromFork
	Preserved
	DefaultBranch
)

func (v Verdict) String() string {
	return [...]string{"delete", "not merged", "from a fork", "preserved", "the default branch"}[v]
}

// Decide says whether the head branch of a pull request goes, under cfg.
func Decide(in Input, cfg pluginconfig.BranchCleaner) Verdict {
	switch {
	case in.Action != "closed" || !in.Merged:
		return NotMerged
	case in.HeadRepo == "" || !strings.EqualFold(in.HeadRepo, in.BaseRepo):
		return FromFork
	case in.Branch == in.DefaultBranch:
		return DefaultBranch
	case IsPreserved(cfg, in.Org, in.Repo, in.Branch):
		return Preserved
	}
	return Delete
}

// IsPreserved says whether preserved_branches keeps branch of org/repo,
// by the org's entry or the repository's.
func IsPreserved(cfg pluginconfig.BranchCleaner, org, repo, branch string) bool {
	for _, key := range []string{org + "/" + repo, org} {
		for _, b := range cfg.PreservedBranches[key] {
			if b == branch {
				return true
			}
		}
	}
	return false
}
