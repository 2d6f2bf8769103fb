package seed

import (
	"fmt"
	"strconv"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// ManyPulls is a large world for benchmarks: the bot (the-bot,
// bot-token) and dev (dev-token), both members of demo and writers of
// its repos demo/r00, demo/r01, ... (repos of them), each holding
// perRepo open pull requests of dev's, all labeled lgtm and every other
// one approved too.
func ManyPulls(repos, perRepo int) *sandbox.Seed {
	s := &sandbox.Seed{
		Users: []sandbox.SeedUser{{Login: "the-bot", Token: "bot-token", Bot: true}, {Login: "dev", Token: "dev-token"}},
		Orgs:  []sandbox.SeedOrg{{Login: "demo", Members: []string{"the-bot", "dev"}}},
	}
	for r := range repos {
		name := fmt.Sprintf("demo/r%02d", r)
		s.Repos = append(s.Repos, sandbox.SeedRepo{Name: name, Collaborators: map[string]string{"the-bot": "write", "dev": "write"},
			Files: sandbox.FileChanges{"README.md": "hello\n"}})
		for p := range perRepo {
			labels := []string{"lgtm"}
			if p%2 == 0 {
				labels = append(labels, "approved")
			}
			s.Pulls = append(s.Pulls, sandbox.SeedPull{Repo: name, Number: p + 1, Title: "Change " + strconv.Itoa(p), Author: "dev",
				Labels: labels, Files: sandbox.FileChanges{strconv.Itoa(p) + ".txt": "x\n"}})
		}
	}
	return s
}
