package branchprotector

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config"
)

func ps(name string, set func(*config.Presubmit)) config.Presubmit {
	p := config.Presubmit{JobBase: config.JobBase{Name: name}, Reporter: config.Reporter{Context: name}}
	if set != nil {
		set(&p)
	}
	return p
}

func always(p *config.Presubmit) { p.AlwaysRun = true }

func TestMerge(t *testing.T) {
	yes, no, two, three := ptr(true), ptr(false), ptr(2), ptr(3)
	for _, tc := range []struct {
		name          string
		parent, child config.Policy
		want          config.Policy
	}{
		{"an empty child keeps the parent", config.Policy{Protect: yes, Admins: no}, config.Policy{},
			config.Policy{Protect: yes, Admins: no}},
		{"a child's setting wins over the parent's", config.Policy{Protect: yes, Admins: yes}, config.Policy{Protect: no},
			config.Policy{Protect: no, Admins: yes}},
		{"contexts add up and strict comes from the child",
			config.Policy{RequiredStatusChecks: &config.ContextPolicy{Contexts: []string{"a", "b"}, Strict: yes}},
			config.Policy{RequiredStatusChecks: &config.ContextPolicy{Contexts: []string{"b", "c"}, Strict: no}},
			config.Policy{RequiredStatusChecks: &config.ContextPolicy{Contexts: []string{"a", "b", "c"}, Strict: no}}},
		{"restrictions add up",
			config.Policy{Restrictions: &config.Restrictions{Users: []string{"alice"}, Teams: []string{"admins"}}},
			config.Policy{Restrictions: &config.Restrictions{Users: []string{"bob"}}},
			config.Policy{Restrictions: &config.Restrictions{Users: []string{"alice", "bob"}, Teams: []string{"admins"}}}},
		{"review settings below win, unset ones are inherited",
			config.Policy{RequiredPullRequestReviews: &config.ReviewPolicy{Approvals: two, DismissStale: yes}},
			config.Policy{RequiredPullRequestReviews: &config.ReviewPolicy{Approvals: three, RequireOwners: yes}},
			config.Policy{RequiredPullRequestReviews: &config.ReviewPolicy{Approvals: three, DismissStale: yes, RequireOwners: yes}}},
		{"exclude and include add up",
			config.Policy{Exclude: []string{"^release-"}}, config.Policy{Exclude: []string{"^wip-"}, Include: []string{"^main$"}},
			config.Policy{Exclude: []string{"^release-", "^wip-"}, Include: []string{"^main$"}}},
		{"linear history, force pushes and deletions are inherited",
			config.Policy{RequiredLinearHistory: yes, AllowForcePushes: no, AllowDeletions: no}, config.Policy{AllowDeletions: yes},
			config.Policy{RequiredLinearHistory: yes, AllowForcePushes: no, AllowDeletions: yes}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Merge(tc.parent, tc.child); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Merge = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestBranchRequirements(t *testing.T) {
	jobs := []config.Presubmit{
		ps("unit", always),
		ps("lint", always),
		ps("e2e", func(p *config.Presubmit) { p.RunIfChanged = `\.go$` }),
		ps("docs", func(p *config.Presubmit) { p.AlwaysRun, p.Optional = true, true }),
		ps("silent", func(p *config.Presubmit) { p.AlwaysRun, p.SkipReport = true, true }),
		ps("manual", nil),
		ps("release-only", func(p *config.Presubmit) { p.AlwaysRun, p.Branches = true, []string{"^release-.*$"} }),
		ps("not-on-dev", func(p *config.Presubmit) { p.AlwaysRun, p.SkipBranches = true, []string{"^dev$"} }),
	}
	for _, tc := range []struct {
		name          string
		branch        string
		requireManual bool
		want          Requirements
	}{
		{"always_run jobs that report and are not optional are required; run_if_changed and manual ones are conditional", "main", false,
			Requirements{Required: []string{"lint", "not-on-dev", "unit"}, Conditional: []string{"e2e", "manual"}, Optional: []string{"docs"}}},
		{"branch filters apply", "release-1.0", false,
			Requirements{Required: []string{"lint", "not-on-dev", "release-only", "unit"}, Conditional: []string{"e2e", "manual"}, Optional: []string{"docs"}}},
		{"skip_branches apply", "dev", false,
			Requirements{Required: []string{"lint", "unit"}, Conditional: []string{"e2e", "manual"}, Optional: []string{"docs"}}},
		{"require_manually_triggered_jobs requires jobs that only run when asked", "main", true,
			Requirements{Required: []string{"lint", "manual", "not-on-dev", "unit"}, Conditional: []string{"e2e"}, Optional: []string{"docs"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BranchRequirements(tc.branch, jobs, tc.requireManual); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("BranchRequirements = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestBranchPolicy(t *testing.T) {
	yes, no := ptr(true), ptr(false)
	unit := []config.Presubmit{ps("unit", always)}
	contexts := func(c ...string) *config.ContextPolicy { return &config.ContextPolicy{Contexts: c} }
	for _, tc := range []struct {
		name       string
		settings   Settings
		levels     []config.Policy
		branch     string
		presubmits []config.Presubmit
		want       *config.Policy
		wantErr    bool
	}{
		{"no level saying protect leaves the branch alone", Settings{}, []config.Policy{{Admins: yes}}, "main", nil, nil, false},
		{"protect at the top protects with the configured contexts", Settings{},
			[]config.Policy{{Protect: yes, RequiredStatusChecks: contexts("cla")}}, "main", nil,
			&config.Policy{Protect: yes, RequiredStatusChecks: contexts("cla")}, false},
		{"required presubmits' contexts are added to the configured ones", Settings{},
			[]config.Policy{{Protect: yes, RequiredStatusChecks: contexts("cla")}}, "main", unit,
			&config.Policy{Protect: yes, RequiredStatusChecks: contexts("cla", "unit")}, false},
		{"required presubmits alone do not protect without protect-tested-repos", Settings{}, []config.Policy{{}}, "main", unit, nil, false},
		{"protect-tested-repos protects a branch with required presubmits", Settings{ProtectTested: true}, []config.Policy{{}}, "main", unit,
			&config.Policy{Protect: yes, RequiredStatusChecks: contexts("unit")}, false},
		{"protect_repos_with_optional_jobs protects a branch with only optional jobs", Settings{ProtectTested: true, ProtectReposWithOptionalJobs: true},
			[]config.Policy{{}}, "main", []config.Presubmit{ps("docs", func(p *config.Presubmit) { p.AlwaysRun, p.Optional = true, true })},
			&config.Policy{Protect: yes}, false},
		{"a lower level turns protection off", Settings{}, []config.Policy{{Protect: yes}, {Protect: no}}, "main", nil,
			&config.Policy{Protect: no}, false},
		{"protect: false with required jobs is an error", Settings{}, []config.Policy{{Protect: no}}, "main", unit, nil, true},
		{"allow_disabled_job_policies lets required jobs go unprotected", Settings{AllowDisabledJobPolicies: true},
			[]config.Policy{{Protect: no}}, "main", unit, &config.Policy{Protect: no}, false},
		{"protect: false with a policy is an error", Settings{}, []config.Policy{{Protect: yes, Admins: yes}, {Protect: no}}, "main", nil, nil, true},
		{"allow_disabled_policies drops the policy of an unprotected branch", Settings{AllowDisabledPolicies: true},
			[]config.Policy{{Protect: yes, Admins: yes}, {Protect: no}}, "main", nil, &config.Policy{Protect: no}, false},
		{"unmanaged leaves the branch alone", Settings{}, []config.Policy{{Protect: yes}, {Unmanaged: yes}}, "main", nil, nil, false},
		{"an excluded branch is left alone", Settings{}, []config.Policy{{Protect: yes, Exclude: []string{"^release-"}}}, "release-1.0", nil, nil, false},
		{"exclude regexes are unanchored as in Prow", Settings{}, []config.Policy{{Protect: yes, Exclude: []string{"wip"}}}, "my-wip-branch", nil, nil, false},
		{"a branch include does not name is left alone", Settings{}, []config.Policy{{Protect: yes, Include: []string{"^main$"}}}, "dev", nil, nil, false},
		{"a branch include names is managed", Settings{}, []config.Policy{{Protect: yes, Include: []string{"^main$"}}}, "main", nil,
			&config.Policy{Protect: yes, Include: []string{"^main$"}}, false},
		{"a bad exclude regex is an error", Settings{}, []config.Policy{{Protect: yes, Exclude: []string{"("}}}, "main", nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := BranchPolicy(tc.settings, tc.levels, tc.branch, tc.presubmits)
			if (err != nil) != tc.wantErr || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("BranchPolicy = %+v, %v; want %+v (error %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
