// Package catalog lists every in-process plugin the binary has, in one
// place, built with the dependencies they need.
package catalog

import (
	"context"
	"errors"

	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/approve"
	"github.com/prowbot/prow/plugins/assign"
	"github.com/prowbot/prow/plugins/blockade"
	"github.com/prowbot/prow/plugins/blunderbuss"
	"github.com/prowbot/prow/plugins/branchcleaner"
	"github.com/prowbot/prow/plugins/cherrypicker"
	"github.com/prowbot/prow/plugins/cherrypickunapproved"
	"github.com/prowbot/prow/plugins/configupdater"
	"github.com/prowbot/prow/plugins/dco"
	"github.com/prowbot/prow/plugins/help"
	"github.com/prowbot/prow/plugins/hold"
	"github.com/prowbot/prow/plugins/invalidcommitmsg"
	"github.com/prowbot/prow/plugins/label"
	"github.com/prowbot/prow/plugins/lgtm"
	"github.com/prowbot/prow/plugins/lifecycle"
	"github.com/prowbot/prow/plugins/mergecommitblocker"
	"github.com/prowbot/prow/plugins/milestone"
	"github.com/prowbot/prow/plugins/milestoneapplier"
	"github.com/prowbot/prow/plugins/milestonestatus"
	"github.com/prowbot/prow/plugins/needsrebase"
	"github.com/prowbot/prow/plugins/override"
	"github.com/prowbot/prow/plugins/ownerslabel"
	"github.com/prowbot/prow/plugins/releasenote"
	"github.com/prowbot/prow/plugins/requirematchinglabel"
	"github.com/prowbot/prow/plugins/retitle"
	"github.com/prowbot/prow/plugins/sigmention"
	"github.com/prowbot/prow/plugins/size"
	"github.com/prowbot/prow/plugins/skip"
	"github.com/prowbot/prow/plugins/stage"
	"github.com/prowbot/prow/plugins/trigger"
	"github.com/prowbot/prow/plugins/verifyowners"
	"github.com/prowbot/prow/plugins/welcome"
	"github.com/prowbot/prow/plugins/wip"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/owners"
)

// Deps are what the plugins are built with.
type Deps struct {
	GitHub *github.Client
	Owners *owners.Loader
	// Git is the git cache cherrypicker applies and pushes with (the
	// Owners loader reads through the same one); nil means none.
	Git *git.Client
	// Jobs is the job store trigger starts and aborts runs in; nil means
	// the process has none (trigger then logs an error for each request).
	Jobs trigger.Jobs
	// ConfigMaps is where config-updater writes: the cluster's
	// ConfigMaps, or the embedded mode's files; nil means none.
	ConfigMaps configupdater.Maps
	// InRepo answers for jobs configured in repositories (trigger asks
	// it); nil means the central configuration only.
	InRepo *inrepo.Getter
}

// All returns the plugins.
func All(d Deps) []plugins.Plugin {
	gh := d.GitHub
	store := d.Jobs
	if store == nil {
		store = jobs.Unavailable{}
	}
	// verify-owners reads OWNERS files at the head through the same git
	// cache the OWNERS loader uses.
	var files verifyowners.FileReader
	if d.Owners != nil {
		files = d.Owners.Git
	}
	// cherrypicker pushes through the git cache too (its work trees are
	// temporary, its fetched refs apart from the readers').
	var picker cherrypicker.Git = noGit{}
	if d.Git != nil {
		picker = d.Git
	}
	return []plugins.Plugin{
		approve.New(gh, d.Owners),
		assign.New(gh),
		blockade.New(gh),
		blunderbuss.New(gh, d.Owners),
		branchcleaner.New(gh),
		cherrypicker.New(gh, picker),
		cherrypickunapproved.New(gh),
		configupdater.New(gh, d.ConfigMaps),
		dco.New(gh),
		help.New(gh),
		hold.New(gh),
		invalidcommitmsg.New(gh),
		label.New(gh),
		lgtm.New(gh, d.Owners),
		lifecycle.New(gh),
		mergecommitblocker.New(gh),
		milestone.New(gh),
		milestoneapplier.New(gh),
		milestonestatus.New(gh),
		needsrebase.New(gh),
		override.New(gh),
		ownerslabel.New(gh, d.Owners),
		releasenote.New(gh),
		requirematchinglabel.New(gh),
		retitle.New(gh),
		sigmention.New(gh),
		size.New(gh),
		skip.New(gh, d.InRepo),
		stage.New(gh),
		trigger.New(gh, store, d.InRepo),
		verifyowners.New(gh, files),
		welcome.New(gh),
		wip.New(gh),
	}
}

// Names lists the plugins' names (from the same list, built without
// dependencies: nothing is called).
func Names() []string {
	var out []string
	for _, p := range All(Deps{}) {
		out = append(out, p.Name)
	}
	return out
}

// noGit is cherrypicker's git when the process has none.
type noGit struct{}

func (noGit) CherryPick(context.Context, git.CherryPick) (string, error) {
	return "", errors.New("this process has no git cache")
}
