package pluginconfig

import "strings"

// InvalidCommitMsgFor returns the invalid_commit_msg entry of org/repo
// (the repo's entry before the org's; zero if none).
func (c *Configuration) InvalidCommitMsgFor(org, repo string) InvalidCommitMsg {
	m, _ := matchRepos(c.InvalidCommitMsg, func(m InvalidCommitMsg) []string { return m.Repos }, org, repo)
	return m
}

// CheckDisabled says whether the entry turns the named check off.
func (m InvalidCommitMsg) CheckDisabled(name string) bool {
	for _, c := range m.Checks {
		if strings.EqualFold(c.Name, name) {
			return c.Disabled
		}
	}
	return false
}
