package branchprotector

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

func TestDesired(t *testing.T) {
	yes, zero, two := ptr(true), ptr(0), ptr(2)
	for _, tc := range []struct {
		name   string
		policy config.Policy
		want   github.BranchProtection
	}{
		{"protect: false asks for no rule", config.Policy{Protect: ptr(false)}, github.BranchProtection{}},
		{"contexts are sorted", config.Policy{Protect: yes, RequiredStatusChecks: &config.ContextPolicy{Contexts: []string{"b", "a"}, Strict: yes}},
			github.BranchProtection{Protected: true, RequiredContexts: []string{"a", "b"}, Strict: true}},
		{"reviews need a positive approval count", config.Policy{Protect: yes, RequiredPullRequestReviews: &config.ReviewPolicy{Approvals: zero, DismissStale: yes}},
			github.BranchProtection{Protected: true}},
		{"reviews without an approval count are not required", config.Policy{Protect: yes, RequiredPullRequestReviews: &config.ReviewPolicy{DismissStale: yes}},
			github.BranchProtection{Protected: true}},
		{"reviews, admins, history and restrictions", config.Policy{Protect: yes, Admins: yes, RequiredLinearHistory: yes, AllowDeletions: yes,
			RequiredPullRequestReviews: &config.ReviewPolicy{Approvals: two, DismissStale: yes, RequireOwners: yes},
			Restrictions:               &config.Restrictions{Users: []string{"bob", "alice"}}},
			github.BranchProtection{Protected: true, EnforceAdmins: true, LinearHistory: true, AllowDeletions: true,
				ReviewsRequired: true, RequiredApprovals: 2, DismissStaleReviews: true, RequireCodeOwnerReviews: true,
				Restrictions: &github.Restrictions{Users: []string{"alice", "bob"}, Teams: []string{}, Apps: []string{}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Desired(tc.policy)
			if got.RequiredContexts == nil {
				got.RequiredContexts = nil
			}
			if !reflect.DeepEqual(normal(got), normal(tc.want)) {
				t.Errorf("Desired = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestChanges(t *testing.T) {
	rule := github.BranchProtection{Protected: true, RequiredContexts: []string{"a", "b"}, ReviewsRequired: true, RequiredApprovals: 1}
	with := func(f func(*github.BranchProtection)) github.BranchProtection {
		r := rule
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name             string
		current, desired github.BranchProtection
		want             []string
	}{
		{"the same rule changes nothing", rule, rule, nil},
		{"context order does not matter", with(func(r *github.BranchProtection) { r.RequiredContexts = []string{"b", "a"} }), rule, nil},
		{"review details of unrequired reviews do not matter", github.BranchProtection{Protected: true, RequiredApprovals: 3},
			github.BranchProtection{Protected: true}, nil},
		{"unprotected and unprotected is nothing", github.BranchProtection{}, github.BranchProtection{}, nil},
		{"an unprotected branch gets protected", github.BranchProtection{}, rule,
			[]string{"protect", "required contexts: [] -> [a b]", "required approving reviews: 0 -> 1"}},
		{"a protected branch that should not be loses its rule", rule, github.BranchProtection{}, []string{"remove protection"}},
		{"a new context is named", rule, with(func(r *github.BranchProtection) { r.RequiredContexts = []string{"a", "b", "c"} }),
			[]string{"required contexts: [a b] -> [a b c]"}},
		{"admins and restrictions are named", rule, with(func(r *github.BranchProtection) {
			r.EnforceAdmins, r.Restrictions = true, &github.Restrictions{Users: []string{"alice"}}
		}), []string{"enforce admins: false -> true", "push restrictions: none -> users [alice], teams [], apps []"}},
		{"login case does not matter in restrictions",
			with(func(r *github.BranchProtection) { r.Restrictions = &github.Restrictions{Users: []string{"Alice"}} }),
			with(func(r *github.BranchProtection) { r.Restrictions = &github.Restrictions{Users: []string{"alice"}} }), nil},
		{"a rule read in part is rewritten", with(func(r *github.BranchProtection) { r.Partial = true }), rule,
			[]string{"rewrite the rule (it could not be read in full)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Changes(tc.current, tc.desired); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Changes = %q, want %q", got, tc.want)
			}
		})
	}
}
