package milestone

import (
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/github"
)

func TestDecide(t *testing.T) {
	ms := []github.Milestone{{Number: 1, Title: "v1.0"}, {Number: 2, Title: "v1.1"}}
	cases := []struct {
		name string
		req  Request
		want Verdict
	}{
		{"a maintainer sets a milestone", Request{Arg: "v1.1", Configured: true, Maintainer: true, Milestones: ms}, Verdict{Action: Set, Number: 2}},
		{"a maintainer moves the issue to another milestone", Request{Arg: "v1.0", Configured: true, Maintainer: true, Current: "v1.1", Milestones: ms}, Verdict{Action: Set, Number: 1}},
		{"the milestone the issue has already is nothing to do", Request{Arg: "v1.0", Configured: true, Maintainer: true, Current: "v1.0", Milestones: ms}, Verdict{Action: Nothing}},
		{"clear takes the issue out of its milestone", Request{Arg: "clear", Configured: true, Maintainer: true, Current: "v1.0", Milestones: ms}, Verdict{Action: Clear}},
		{"CLEAR in capitals clears too", Request{Arg: "CLEAR", Configured: true, Maintainer: true, Current: "v1.0"}, Verdict{Action: Clear}},
		{"clearing an issue without a milestone is nothing to do", Request{Arg: "clear", Configured: true, Maintainer: true}, Verdict{Action: Nothing}},
		{"titles match exactly", Request{Arg: "V1.0", Configured: true, Maintainer: true, Milestones: ms}, Verdict{Action: Unknown}},
		{"an unknown title is refused", Request{Arg: "v9", Configured: true, Maintainer: true, Milestones: ms}, Verdict{Action: Unknown}},
		{"someone outside the team may not", Request{Arg: "v1.0", Configured: true, Milestones: ms}, Verdict{Action: NotAllowed}},
		{"someone outside the team may not clear either", Request{Arg: "clear", Configured: true, Current: "v1.0"}, Verdict{Action: NotAllowed}},
		{"a repository without a team says so", Request{Arg: "v1.0", Milestones: ms}, Verdict{Action: NotConfigured}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(tc.req); got != tc.want {
				t.Errorf("Decide(%+v) = %+v, want %+v", tc.req, got, tc.want)
			}
		})
	}
}

func TestMaintainers(t *testing.T) {
	cfg := &pluginconfig.Configuration{RepoMilestone: map[string]pluginconfig.Milestone{
		"":          {MaintainersTeam: "release-team"},
		"demo/own":  {MaintainersTeam: "own-team", MaintainersFriendlyName: "Own leads"},
		"demo/noid": {MaintainersID: 12},
	}}
	cases := []struct {
		name, repo string
		team, who  string
		ok         bool
	}{
		{"a repository's own entry wins", "own", "own-team", "Own leads", true},
		{"others use the default entry", "other", "release-team", DefaultFriendlyName, true},
		{"an entry with only the deprecated team id names no team", "noid", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := Maintainers(cfg, "demo", tc.repo)
			if ok != tc.ok || m.MaintainersTeam != tc.team || m.MaintainersFriendlyName != tc.who {
				t.Errorf("Maintainers(demo/%s) = %+v, %v", tc.repo, m, ok)
			}
		})
	}
	if _, ok := Maintainers(&pluginconfig.Configuration{}, "demo", "x"); ok {
		t.Error("no repo_milestone at all should name no team")
	}
}
