package pluginconfig

// DefaultKnownPlugins lists the names of every in-tree plugin Prow has, so
// a plugins.yaml written for Prow validates. The binary adds the plugins
// it implements; a name in neither list is a typo.
func DefaultKnownPlugins() []string {
	return []string{
		"approve", "assign", "blockade", "blunderbuss", "branchcleaner", "bugzilla", "buildifier", "cat",
		"cherry-pick-approved", "cherry-pick-unapproved", "cla", "config-updater", "dco", "dog", "golint",
		"goose", "heart", "help", "hold", "invalidcommitmsg", "issue-management", "jira", "label", "lgtm",
		"lifecycle", "merge-method-comment", "mergecommitblocker", "milestone", "milestoneapplier",
		"milestonestatus", "override", "owners-label", "pony", "project", "project-manager", "projectmanager", "release-note",
		"require-matching-label", "retitle", "reward-owners", "rifle", "shrug", "sigmention", "size", "skip", "slackevents", "stage",
		"testfreeze", "transfer-issue", "trick-or-treat", "trigger", "verify-owners", "welcome", "wip", "yuks",
	}
}
