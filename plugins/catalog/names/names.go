package names

// Names returns the names of the plugins the bot has, in catalog order.
func Names() []string {
	return []string{
		"approve",
		"assign",
		"blockade",
		"blunderbuss",
		"help",
		"hold",
		"label",
		"lgtm",
		"lifecycle",
		"mergecommitblocker",
		"milestone",
		"milestoneapplier",
		"milestonestatus",
		"needs-rebase",
		"override",
		"owners-label",
		"release-note",
		"require-matching-label",
		"retitle",
		"sigmention",
		"size",
		"skip",
		"stage",
		"trigger",
		"verify-owners",
		"welcome",
		"wip",
	}
}
