package config

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config/pluginconfig"
)

func TestUnnamedTideScopes(t *testing.T) {
	jobs := JobConfig{Presubmits: map[string][]Presubmit{"a/job": nil}, Postsubmits: map[string][]Postsubmit{"Case/Repo": nil}}
	plugins := &pluginconfig.Configuration{Plugins: pluginconfig.Plugins{"b/plugged": {}, "whole": {}},
		ExternalPlugins: map[string][]pluginconfig.ExternalPlugin{"ext/repo": nil}}
	bp := BranchProtection{Orgs: map[string]Org{"prot": {Repos: map[string]Repo{"r": {}}}}}
	for _, tc := range []struct {
		name  string
		query TideQuery
		want  []string
	}{
		{"repos a job, a plugin entry or an external plugin names", TideQuery{Repos: []string{"a/job", "b/plugged", "ext/repo"}}, nil},
		{"GitHub's names are case-insensitive", TideQuery{Repos: []string{"case/repo"}, Orgs: []string{"CASE"}}, nil},
		{"a repo of an org named as a whole", TideQuery{Repos: []string{"whole/anything", "prot/other"}}, nil},
		{"an org some named repo is in", TideQuery{Orgs: []string{"a", "b", "prot"}}, nil},
		{"a repo nothing names", TideQuery{Repos: []string{"a/job", "a/typo"}, ExcludedRepos: []string{"b/gone"}},
			[]string{"tide.queries[0].repos[1] a/typo", "tide.queries[0].excludedRepos[0] b/gone"}},
		{"an org nothing names", TideQuery{Orgs: []string{"nobody"}}, []string{"tide.queries[0].orgs[0] nobody"}},
		{"a malformed repo is left to Validate", TideQuery{Repos: []string{"justrepo"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{JobConfig: jobs, ProwConfig: ProwConfig{BranchProtection: bp, Tide: Tide{Queries: []TideQuery{tc.query}}}}
			var got []string
			for _, s := range unnamedTideScopes(cfg, plugins) {
				got = append(got, s.key+" "+s.name())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("unnamed = %q, want %q", got, tc.want)
			}
		})
	}
}
