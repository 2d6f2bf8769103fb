package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// isLegacy says whether a route is one GitHub still answers but no longer
// describes, or GraphQL's, which GitHub's GraphQL schema describes (see
// TestGraphQLSchemaIsASubsetOfGitHubs).
func isLegacy(pattern string) bool {
	return pattern == "GET /repos/{owner}/{repo}/git/refs" || pattern == "GET /repos/{owner}/{repo}/git/refs/{ref...}" || pattern == "POST /graphql"
}

func TestEveryRouteIsOneOfGitHubs(t *testing.T) {
	doc := spec(t).doc
	described := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described[method+" "+normalPath(path)] = true
		}
	}
	for _, p := range sandbox.APIRoutePatterns() {
		method, path, _ := strings.Cut(p, " ")
		if !isLegacy(p) && !described[method+" "+normalPath(path)] {
			t.Errorf("the sandbox serves %s, which GitHub's description does not have", p)
		}
	}
}

// step is one call of the tour; it returns the first error.
type step struct {
	name  string
	calls []func() error
}

// TestResponsesMatchGitHubsDescription calls every route through the
// unchanged go-github client (or plain HTTP for errors), and the
// validator checks each answer against GitHub's description.
func TestResponsesMatchGitHubsDescription(t *testing.T) {
	e := start(t, func(o *sandbox.Options) { o.InstallationID = 42 })
	ctx := context.Background()
	alice, bob, bot, carol := e.client("alice-token"), e.client("bob-token"), e.client("bot-token"), e.client("carol-token")
	pr := must[*gh.PullRequest](t)(bot.PullRequests.Get(ctx, "demo", "hello", 1))
	head := pr.GetHead().GetSHA()
	var rv *gh.PullRequestReview
	var c *gh.IssueComment
	var run *gh.CheckRun
	var issue *gh.Issue
	e1 := func(_ any, _ *gh.Response, err error) error { return err }
	e0 := func(_ *gh.Response, err error) error { return err }
	e3 := func(_, _ any, _ *gh.Response, err error) error { return err }

	steps := []step{
		{"users", []func() error{
			func() error { return e1(alice.Users.Get(ctx, "")) },
			func() error { return e1(alice.Users.Get(ctx, "bob")) },
			func() error { return e1(alice.Users.Get(ctx, "demo")) },
		}},
		{"rate limit", []func() error{func() error { return e1(alice.RateLimit.Get(ctx)) }}},
		{"orgs and teams", []func() error{
			func() error { return e1(alice.Organizations.Get(ctx, "demo")) },
			func() error { return e1(alice.Repositories.ListByOrg(ctx, "demo", nil)) },
			func() error { return e1(alice.Organizations.ListMembers(ctx, "demo", nil)) },
			func() error { return e1(alice.Organizations.IsMember(ctx, "demo", "carol")) },
			func() error { return e1(alice.Organizations.GetOrgMembership(ctx, "carol", "demo")) },
			func() error { return e1(alice.Teams.ListTeams(ctx, "demo", nil)) },
			func() error { return e1(alice.Teams.GetTeamBySlug(ctx, "demo", "maintainers")) },
			func() error { return e1(alice.Teams.ListTeamMembersBySlug(ctx, "demo", "triagers", nil)) },
			func() error { return e1(alice.Teams.GetTeamMembershipBySlug(ctx, "demo", "triagers", "alice")) },
			func() error { return e1(alice.Teams.ListTeamReposBySlug(ctx, "demo", "maintainers", nil)) },
		}},
		{"repository", []func() error{
			func() error { return e1(alice.Repositories.Get(ctx, "demo", "hello")) },
			func() error { return e1(alice.Repositories.ListBranches(ctx, "demo", "hello", nil)) },
			func() error { return e1(alice.Repositories.GetBranch(ctx, "demo", "hello", "bob/other-greeting", 0)) },
			func() error { return e1(alice.Repositories.ListCollaborators(ctx, "demo", "hello", nil)) },
			func() error { return e1(alice.Repositories.IsCollaborator(ctx, "demo", "hello", "eve")) },
			func() error { return e1(alice.Repositories.GetPermissionLevel(ctx, "demo", "hello", "carol")) },
			func() error { return e1(alice.Issues.IsAssignee(ctx, "demo", "hello", "the-bot")) },
			func() error { return e1(alice.Issues.ListMilestones(ctx, "demo", "hello", nil)) },
		}},
		{"branch protection", []func() error{
			func() error {
				return e1(alice.Repositories.UpdateBranchProtection(ctx, "demo", "hello", "dev", &gh.ProtectionRequest{
					RequiredStatusChecks: &gh.RequiredStatusChecks{Strict: true, Contexts: &[]string{"ci"}},
					RequiredPullRequestReviews: &gh.PullRequestReviewsEnforcementRequest{DismissStaleReviews: true, RequiredApprovingReviewCount: 1,
						RequireCodeOwnerReviews: true},
					Restrictions:         &gh.BranchRestrictionsRequest{Users: []string{"alice"}, Teams: []string{"maintainers"}, Apps: []string{}},
					RequireLinearHistory: gh.Bool(true), AllowForcePushes: gh.Bool(false), AllowDeletions: gh.Bool(false)}))
			},
			func() error { return e1(alice.Repositories.GetBranchProtection(ctx, "demo", "hello", "dev")) },
			func() error { return e1(alice.Repositories.GetRequiredStatusChecks(ctx, "demo", "hello", "dev")) },
			func() error {
				return e1(alice.Repositories.ListRequiredStatusChecksContexts(ctx, "demo", "hello", "dev"))
			},
			func() error { return e1(bob.Repositories.GetBranch(ctx, "demo", "hello", "dev", 0)) },
			func() error { return e0(alice.Repositories.RemoveBranchProtection(ctx, "demo", "hello", "dev")) },
		}},
		{"refs", []func() error{
			func() error { return e1(alice.Git.GetRef(ctx, "demo", "hello", "pull/1/head")) },
			func() error {
				return e1(alice.Git.ListMatchingRefs(ctx, "demo", "hello", &gh.ReferenceListOptions{Ref: "heads/"}))
			},
			func() error {
				return e1(bot.Git.CreateRef(ctx, "demo", "hello", &gh.Reference{Ref: gh.String("refs/heads/topic"), Object: &gh.GitObject{SHA: pr.GetBase().SHA}}))
			},
			func() error {
				return e1(bot.Git.UpdateRef(ctx, "demo", "hello", &gh.Reference{Ref: gh.String("refs/heads/topic"), Object: &gh.GitObject{SHA: &head}}, true))
			},
			func() error { return e0(bot.Git.DeleteRef(ctx, "demo", "hello", "heads/topic")) },
		}},
		{"contents", []func() error{
			func() error { return e3(alice.Repositories.GetContents(ctx, "demo", "hello", "docs/guide.md", nil)) },
			func() error { return e3(alice.Repositories.GetContents(ctx, "demo", "hello", "docs", nil)) },
		}},
		{"labels", []func() error{
			func() error {
				return e1(alice.Issues.CreateLabel(ctx, "demo", "hello", &gh.Label{Name: gh.String("size-S"), Color: gh.String("ee9900")}))
			},
			func() error {
				return e1(alice.Issues.EditLabel(ctx, "demo", "hello", "size-S", &gh.Label{Name: gh.String("size-XS"), Description: gh.String("tiny")}))
			},
			func() error { return e1(alice.Issues.GetLabel(ctx, "demo", "hello", "size-XS")) },
			func() error { return e1(alice.Issues.ListLabels(ctx, "demo", "hello", nil)) },
			func() error { // GitHub's documented body renames with new_name, as label-sync does
				a := e.do("alice-token", http.MethodPatch, "/repos/demo/hello/labels/size-XS", map[string]string{"new_name": "size/XS", "color": "00ff00"})
				if a.code != http.StatusOK || !strings.Contains(string(a.body), `"name":"size/XS"`) {
					return errors.New("rename with new_name: " + string(a.body))
				}
				return nil
			},
			func() error { return e0(alice.Issues.DeleteLabel(ctx, "demo", "hello", "size%2FXS")) },
		}},
		{"statuses", []func() error{
			func() error {
				return e1(bot.Repositories.CreateStatus(ctx, "demo", "hello", head, &gh.RepoStatus{State: gh.String("pending"), Context: gh.String("ci")}))
			},
			func() error { return e1(bot.Repositories.GetCombinedStatus(ctx, "demo", "hello", head, nil)) },
			func() error { return e1(bot.Repositories.ListStatuses(ctx, "demo", "hello", "bob-patch-1", nil)) },
		}},
		{"check runs", []func() error{
			func() (err error) {
				run, _, err = bot.Checks.CreateCheckRun(ctx, "demo", "hello", gh.CreateCheckRunOptions{Name: "unit", HeadSHA: head, Status: gh.String("in_progress")})
				return err
			},
			func() error {
				return e1(bot.Checks.UpdateCheckRun(ctx, "demo", "hello", run.GetID(), gh.UpdateCheckRunOptions{Name: "unit", Conclusion: gh.String("success"),
					Output: &gh.CheckRunOutput{Title: gh.String("Passed"), Summary: gh.String("All good")}}))
			},
			func() error { return e1(bot.Checks.GetCheckRun(ctx, "demo", "hello", run.GetID())) },
			func() error { return e1(bot.Checks.ListCheckRunsForRef(ctx, "demo", "hello", head, nil)) },
			func() error {
				return e1(bot.Checks.UpdateCheckRun(ctx, "demo", "hello", run.GetID(), gh.UpdateCheckRunOptions{Name: "unit", Conclusion: gh.String("failure"),
					Output: &gh.CheckRunOutput{Title: gh.String("Failed"), Summary: gh.String("1 test failed"), Annotations: []*gh.CheckRunAnnotation{{
						Path: gh.String("README.md"), StartLine: gh.Int(1), EndLine: gh.Int(1), AnnotationLevel: gh.String("failure"),
						Message: gh.String("expected hello"), Title: gh.String("TestHello")}}}}))
			},
			func() error { return e1(bot.Checks.ListCheckRunAnnotations(ctx, "demo", "hello", run.GetID(), nil)) },
			func() error { return e0(bot.Checks.ReRequestCheckRun(ctx, "demo", "hello", run.GetID())) },
		}},
		{"issues", []func() error{
			func() (err error) {
				issue, _, err = bob.Issues.Create(ctx, "demo", "hello", &gh.IssueRequest{Title: gh.String("New bug"), Body: gh.String("Details")})
				return err
			},
			func() error {
				return e1(alice.Issues.Edit(ctx, "demo", "hello", issue.GetNumber(), &gh.IssueRequest{State: gh.String("closed"), Milestone: gh.Int(1)}))
			},
			// The milestone plugin's clear: the milestone written null.
			func() error { return e1(alice.Issues.RemoveMilestone(ctx, "demo", "hello", issue.GetNumber())) },
			func() error {
				return e1(alice.Issues.ListByRepo(ctx, "demo", "hello", &gh.IssueListByRepoOptions{State: "all", Labels: []string{"kind/bug"}}))
			},
			func() error { return e1(alice.Issues.Get(ctx, "demo", "hello", 3)) },
		}},
		{"comments", []func() error{
			func() (err error) {
				c, _, err = bob.Issues.CreateComment(ctx, "demo", "hello", 3, &gh.IssueComment{Body: gh.String("me too")})
				return err
			},
			func() error {
				return e1(bob.Issues.EditComment(ctx, "demo", "hello", c.GetID(), &gh.IssueComment{Body: gh.String("me too!")}))
			},
			func() error { return e1(bob.Issues.GetComment(ctx, "demo", "hello", c.GetID())) },
			func() error { return e1(bob.Issues.ListComments(ctx, "demo", "hello", 0, nil)) },
			func() error { return e1(bob.Issues.ListComments(ctx, "demo", "hello", 3, nil)) },
			func() error { return e0(bob.Issues.DeleteComment(ctx, "demo", "hello", c.GetID())) },
		}},
		{"issue labels and assignees", []func() error{
			func() error {
				return e1(bot.Issues.AddLabelsToIssue(ctx, "demo", "hello", 1, []string{"lgtm", "do-not-merge/hold"}))
			},
			func() error {
				return e0(bot.Issues.RemoveLabelForIssue(ctx, "demo", "hello", 1, "do-not-merge%2Fhold"))
			},
			func() error { return e1(bot.Issues.ListLabelsByIssue(ctx, "demo", "hello", 1, nil)) },
			func() error {
				return e1(bot.Issues.ReplaceLabelsForIssue(ctx, "demo", "hello", 3, []string{"approved"}))
			},
			func() error { return e0(bot.Issues.RemoveLabelsForIssue(ctx, "demo", "hello", 3)) },
			func() error { return e1(bot.Issues.AddAssignees(ctx, "demo", "hello", 1, []string{"bob", "stranger"})) },
			func() error { return e1(bot.Issues.RemoveAssignees(ctx, "demo", "hello", 1, []string{"bob"})) },
		}},
		{"pulls", []func() error{
			func() error {
				return e1(alice.PullRequests.List(ctx, "demo", "hello", &gh.PullRequestListOptions{State: "all"}))
			},
			func() error { return e1(alice.PullRequests.ListFiles(ctx, "demo", "hello", 1, nil)) },
			func() error { return e1(alice.PullRequests.ListCommits(ctx, "demo", "hello", 1, nil)) },
			func() error { return e1(alice.Repositories.GetCommit(ctx, "demo", "hello", head, nil)) },
			func() error { return e1(alice.PullRequests.IsMerged(ctx, "demo", "hello", 5)) },
			func() error {
				return e1(bob.PullRequests.Edit(ctx, "demo", "hello", 2, &gh.PullRequest{Title: gh.String("A better greeting")}))
			},
			func() error {
				return e1(bot.Git.CreateRef(ctx, "demo", "hello", &gh.Reference{Ref: gh.String("refs/heads/feature"), Object: &gh.GitObject{SHA: &head}}))
			},
			func() error {
				return e1(bot.PullRequests.Create(ctx, "demo", "hello", &gh.NewPullRequest{Title: gh.String("Feature"), Head: gh.String("feature"), Base: gh.String("release-1.0")}))
			},
			func() error {
				// cherrypicker's look for its open pull request from a branch.
				return e1(bot.PullRequests.List(ctx, "demo", "hello", &gh.PullRequestListOptions{State: "open", Head: "demo:feature", Base: "release-1.0"}))
			},
		}},
		{"reviews", []func() error{
			func() error {
				return e1(bot.PullRequests.RequestReviewers(ctx, "demo", "hello", 1, gh.ReviewersRequest{Reviewers: []string{"carol"}, TeamReviewers: []string{"maintainers"}}))
			},
			func() error { return e1(bot.PullRequests.ListReviewers(ctx, "demo", "hello", 1, nil)) },
			func() error {
				return e0(bot.PullRequests.RemoveReviewers(ctx, "demo", "hello", 1, gh.ReviewersRequest{Reviewers: []string{"carol"}}))
			},
			func() (err error) {
				rv, _, err = alice.PullRequests.CreateReview(ctx, "demo", "hello", 1, &gh.PullRequestReviewRequest{Event: gh.String("REQUEST_CHANGES"), Body: gh.String("Not yet"),
					Comments: []*gh.DraftReviewComment{{Path: gh.String("README.md"), Line: gh.Int(1), Body: gh.String("typo")}}})
				return err
			},
			func() error { return e1(alice.PullRequests.GetReview(ctx, "demo", "hello", 1, rv.GetID())) },
			func() error {
				return e1(bot.PullRequests.DismissReview(ctx, "demo", "hello", 1, rv.GetID(), &gh.PullRequestReviewDismissalRequest{Message: gh.String("Stale")}))
			},
			func() error { return e1(alice.PullRequests.ListReviews(ctx, "demo", "hello", 1, nil)) },
			func() error {
				return e1(carol.PullRequests.CreateComment(ctx, "demo", "hello", 1, &gh.PullRequestComment{Body: gh.String("Nice"), Path: gh.String("docs/new.md"), Line: gh.Int(1), CommitID: &head}))
			},
			func() error { return e1(alice.PullRequests.ListComments(ctx, "demo", "hello", 1, nil)) },
		}},
		{"search", []func() error{func() error {
			return e1(bot.Search.Issues(ctx, `is:pr is:open repo:demo/hello -label:"do-not-merge/hold" base:main`, nil))
		}}},
		{"update branch", []func() error{func() error {
			// Accepted (202) is go-github's AcceptedError.
			var accepted *gh.AcceptedError
			if err := e1(bob.PullRequests.UpdateBranch(ctx, "demo", "hello", 1, nil)); err != nil && !errors.As(err, &accepted) {
				return err
			}
			return nil
		}}},
		{"merge", []func() error{func() error {
			return e1(bot.PullRequests.Merge(ctx, "demo", "hello", 1, "", &gh.PullRequestOptions{MergeMethod: "squash"}))
		}}},
	}
	steps = append(steps, actionsSteps(t, e, bot, head)...)
	// Each step builds on the ones before: a failed step stops the rest.
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) {
			for k, call := range s.calls {
				if err := call(); err != nil {
					t.Fatalf("%s, call %d: %v", s.name, k+1, err)
				}
			}
		}) {
			return
		}
	}

	// Answers GitHub documents as errors are checked too.
	for _, c := range []struct {
		name, token, method, path string
		body                      any
		want                      int
	}{
		{"an unknown issue", "alice-token", http.MethodGet, "/repos/demo/hello/issues/99", nil, http.StatusNotFound},
		{"a label that exists", "alice-token", http.MethodPost, "/repos/demo/hello/labels", map[string]string{"name": "lgtm"}, http.StatusUnprocessableEntity},
		{"a rename onto a label that exists", "alice-token", http.MethodPatch, "/repos/demo/hello/labels/approved", map[string]string{"new_name": "LGTM"}, http.StatusUnprocessableEntity},
		{"a label that does not exist", "alice-token", http.MethodDelete, "/repos/demo/hello/labels/nope", nil, http.StatusNotFound},
		{"a merge of a moved head", "bot-token", http.MethodPut, "/repos/demo/hello/pulls/2/merge", map[string]string{"sha": head}, http.StatusConflict},
		{"a merge of a conflicting pull request", "bot-token", http.MethodPut, "/repos/demo/hello/pulls/2/merge", nil, http.StatusMethodNotAllowed},
		{"a request without a token", "", http.MethodGet, "/repos/demo/hello", nil, http.StatusUnauthorized},
		{"a private repository to a stranger", "stranger-token", http.MethodGet, "/repos/demo/private", nil, http.StatusNotFound},
		{"the protection of an unprotected branch", "alice-token", http.MethodGet, "/repos/demo/hello/branches/main/protection", nil, http.StatusNotFound},
		{"protection set by a non-admin", "bob-token", http.MethodPut, "/repos/demo/hello/branches/main/protection",
			map[string]any{"required_status_checks": nil, "enforce_admins": nil, "required_pull_request_reviews": nil, "restrictions": nil}, http.StatusForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			if a := e.do(c.token, c.method, c.path, c.body); a.code != c.want {
				t.Errorf("%s: %d %s, want %d", c.name, a.code, a.body, c.want)
			}
		})
	}

	// Every route the sandbox serves was checked at least once.
	seen := map[string]bool{}
	for _, op := range e.v.operations() {
		method, path, _ := strings.Cut(op, " ")
		seen[method+" "+normalPath(path)] = true
	}
	var missed []string
	for _, p := range sandbox.APIRoutePatterns() {
		method, path, _ := strings.Cut(p, " ")
		if !isLegacy(p) && !seen[method+" "+normalPath(path)] {
			missed = append(missed, p)
		}
	}
	slices.Sort(missed)
	if len(missed) > 0 {
		t.Errorf("routes no answer of which was checked against GitHub's description:\n  %s", strings.Join(missed, "\n  "))
	}
	t.Logf("checked answers of %d of GitHub's operations", len(seen))
}
