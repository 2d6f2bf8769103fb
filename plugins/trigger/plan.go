package trigger

import "github.com/prowbot/prow/prow/labels"

// Replies to comments the plugin refuses.
const (
	// IgnoredOkToTestReply answers commands on an untrusted pull request
	// in a repo whose trigger config sets ignore_ok_to_test.
	IgnoredOkToTestReply = "This repository does not let `/ok-to-test` mark pull requests from untrusted authors as trusted, so their authors cannot start tests themselves. Collaborators can still start them with `/test`."
	// RevokeReply answers an untrusted user's `/ok-to-test cancel`.
	RevokeReply = "Only trusted users can revoke `/ok-to-test`."
)

// Trust is what is known of who may ask for tests, for PlanComment.
type Trust struct {
	// User is true when the commenter is a trusted user.
	User bool
	// PR is true when the pull request may be tested: its author is
	// trusted or it carries ok-to-test.
	PR bool
	// IgnoreOkToTest is the repo's ignore_ok_to_test setting.
	IgnoreOkToTest bool
	// GitHubWorkflows is the repo's trigger_github_workflows setting.
	GitHubWorkflows bool
}

// CommentPlan is what trigger does about a comment.
type CommentPlan struct {
	// Reply, when set, is the only thing done: a refusal.
	Reply string
	// AddLabels and RemoveLabels change the trust labels.
	AddLabels, RemoveLabels []string
	// Run selects and starts the jobs Request asks for (or lists them).
	Run     bool
	Request Request
	// ApproveWorkflows approves the head's GitHub Actions workflow runs
	// that wait for approval; RerunWorkflows reruns the failed jobs of
	// its failed runs.
	ApproveWorkflows, RerunWorkflows bool
}

// PlanComment decides what a comment's trigger request leads to, as Prow
// does: an untrusted pull request is only answered with a refusal; with
// ignore_ok_to_test, /ok-to-test and its cancel do nothing; only trusted
// users revoke /ok-to-test, which then runs nothing else; /ok-to-test adds
// ok-to-test and drops needs-ok-to-test before the jobs run. With
// trigger_github_workflows, a trusted user's /ok-to-test also approves the
// head's workflow runs waiting for approval, and /retest and
// /retest-required rerun its failed ones.
func PlanComment(req Request, trust Trust, have []string) CommentPlan {
	if !req.Asks() {
		return CommentPlan{}
	}
	if !trust.PR {
		if trust.IgnoreOkToTest {
			return CommentPlan{Reply: IgnoredOkToTestReply}
		}
		return CommentPlan{Reply: UntrustedReply}
	}
	if trust.IgnoreOkToTest {
		req.OkToTest, req.OkToTestCancel = false, false
	}
	var plan CommentPlan
	if req.OkToTest && !labels.Has(have, OkToTest) {
		plan.AddLabels = append(plan.AddLabels, OkToTest)
	}
	if (req.OkToTest || labels.Has(have, OkToTest)) && labels.Has(have, NeedsOkToTest) {
		plan.RemoveLabels = append(plan.RemoveLabels, NeedsOkToTest)
	}
	if req.OkToTestCancel {
		if !trust.User {
			return CommentPlan{Reply: RevokeReply}
		}
		plan = CommentPlan{}
		if labels.Has(have, OkToTest) {
			plan.RemoveLabels = append(plan.RemoveLabels, OkToTest)
		}
		if !labels.Has(have, NeedsOkToTest) {
			plan.AddLabels = append(plan.AddLabels, NeedsOkToTest)
		}
		return plan
	}
	plan.Request = req
	plan.Run = req.Help || req.RunsJobs()
	plan.ApproveWorkflows, plan.RerunWorkflows = workflowActions(req, trust)
	return plan
}

// workflowActions says what a trusted pull request's comment does to its
// GitHub Actions workflow runs under trigger_github_workflows: a trusted
// user's /ok-to-test approves those waiting, /retest and /retest-required
// rerun the failed ones.
func workflowActions(req Request, trust Trust) (approve, rerun bool) {
	if !trust.GitHubWorkflows {
		return false, false
	}
	return req.OkToTest && trust.User, req.Retest || req.RetestRequired
}

// StartsOnLabel says whether adding label to an open pull request starts
// its automatic jobs: lgtm does on a pull request nobody trusted yet,
// whoever added it (the bot adds it for /lgtm); ok-to-test does when a
// person added it by hand (the bot adds it for /ok-to-test, whose comment
// starts the jobs).
func StartsOnLabel(label string, addedByBot, prTrusted bool) bool {
	switch {
	case labels.Equal(label, LGTMLabel):
		return !prTrusted
	case labels.Equal(label, OkToTest):
		return !addedByBot
	}
	return false
}
