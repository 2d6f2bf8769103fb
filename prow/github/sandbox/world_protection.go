package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// protection is a branch's protection rule: what a pull request into the
// branch needs before it merges.
type protection struct {
	// StatusChecks says whether required_status_checks is set; Contexts
	// then must each be green on the head, and with Strict the head must
	// contain the base's tip.
	StatusChecks bool
	Strict       bool
	Contexts     []string
	// Reviews says whether required_pull_request_reviews is set.
	Reviews       bool
	ApprovalCount int
	DismissStale  bool
	CodeOwners    bool
	LastPush      bool
	EnforceAdmins bool
	LinearHistory bool
	ForcePushes   bool
	Deletions     bool
	Conversations bool
	// Restricted says whether restrictions is set: only RestrictUsers and
	// the members of RestrictTeams (slugs) may push then.
	Restricted    bool
	RestrictUsers []string
	RestrictTeams []string
}

// protectionInput is the body of PUT .../protection, as GitHub takes it.
type protectionInput struct {
	RequiredStatusChecks *struct {
		Strict   bool     `json:"strict"`
		Contexts []string `json:"contexts"`
		Checks   []struct {
			Context string `json:"context"`
		} `json:"checks"`
	} `json:"required_status_checks"`
	EnforceAdmins              *bool `json:"enforce_admins"`
	RequiredPullRequestReviews *struct {
		DismissStaleReviews          bool `json:"dismiss_stale_reviews"`
		RequireCodeOwnerReviews      bool `json:"require_code_owner_reviews"`
		RequiredApprovingReviewCount *int `json:"required_approving_review_count"`
		RequireLastPushApproval      bool `json:"require_last_push_approval"`
	} `json:"required_pull_request_reviews"`
	RequiredLinearHistory          *bool `json:"required_linear_history"`
	AllowForcePushes               *bool `json:"allow_force_pushes"`
	AllowDeletions                 *bool `json:"allow_deletions"`
	RequiredConversationResolution *bool `json:"required_conversation_resolution"`
	Restrictions                   *struct {
		Users []string `json:"users"`
		Teams []string `json:"teams"`
		Apps  []string `json:"apps"`
	} `json:"restrictions"`
}

// toProtection checks the input as GitHub does and turns it into a rule.
func (in protectionInput) toProtection() (*protection, error) {
	p := &protection{}
	if c := in.RequiredStatusChecks; c != nil {
		p.StatusChecks, p.Strict = true, c.Strict
		p.Contexts = append(p.Contexts, c.Contexts...)
		for _, ch := range c.Checks {
			if !slices.Contains(p.Contexts, ch.Context) {
				p.Contexts = append(p.Contexts, ch.Context)
			}
		}
	}
	if r := in.RequiredPullRequestReviews; r != nil {
		p.Reviews, p.ApprovalCount, p.DismissStale, p.CodeOwners, p.LastPush = true, 1, r.DismissStaleReviews, r.RequireCodeOwnerReviews, r.RequireLastPushApproval
		if r.RequiredApprovingReviewCount != nil {
			p.ApprovalCount = *r.RequiredApprovingReviewCount
		}
		if p.ApprovalCount < 0 || p.ApprovalCount > 6 {
			return nil, errUnprocessable("Invalid request.\n\nrequired_approving_review_count must be between 0 and 6.")
		}
	}
	flag := func(b *bool) bool { return b != nil && *b }
	p.EnforceAdmins, p.LinearHistory, p.ForcePushes = flag(in.EnforceAdmins), flag(in.RequiredLinearHistory), flag(in.AllowForcePushes)
	p.Deletions, p.Conversations = flag(in.AllowDeletions), flag(in.RequiredConversationResolution)
	return p, nil
}

// restrict checks the input's push restrictions against the world, as
// GitHub does (every user and team must exist; the sandbox has no apps),
// and puts them in p.
func (in protectionInput) restrict(w *world, rp *repo, p *protection) error {
	r := in.Restrictions
	if r == nil {
		return nil
	}
	if len(r.Apps) > 0 {
		return errUnprocessable("Validation Failed: No such app: " + r.Apps[0])
	}
	p.Restricted = true
	for _, l := range r.Users {
		u := w.user(l)
		if u == nil {
			return errUnprocessable("Validation Failed: No such user: " + l)
		}
		p.RestrictUsers = append(p.RestrictUsers, u.Login)
	}
	o := w.org(rp.Owner)
	for _, slug := range r.Teams {
		if o == nil || o.Teams[slug] == nil {
			return errUnprocessable("Validation Failed: No such team: " + slug)
		}
		p.RestrictTeams = append(p.RestrictTeams, slug)
	}
	return nil
}

// errNotProtected is GitHub's answer about the protection of a branch
// without any.
func errNotProtected() error {
	return &apiError{Status: http.StatusNotFound, Message: "Branch not protected"}
}

// protectionOf finds branch's rule; 404 Branch not found or Branch not
// protected otherwise.
func protectionOf(rp *repo, branch string) (*protection, error) {
	if _, ok := rp.Branches[branch]; !ok {
		return nil, &apiError{Status: http.StatusNotFound, Message: "Branch not found"}
	}
	p := rp.Protection[branch]
	if p == nil {
		return nil, errNotProtected()
	}
	return p, nil
}

// protect sets branch's rule; admins only.
func (t *tx) protect(rp *repo, branch string, p *protection) error {
	if err := t.need(rp, "admin"); err != nil {
		return err
	}
	if _, ok := rp.Branches[branch]; !ok {
		return &apiError{Status: http.StatusNotFound, Message: "Branch not found"}
	}
	if rp.Protection == nil {
		rp.Protection = map[string]*protection{}
	}
	rp.Protection[branch] = p
	return nil
}

// unprotect removes branch's rule; admins only.
func (t *tx) unprotect(rp *repo, branch string) error {
	if err := t.need(rp, "admin"); err != nil {
		return err
	}
	if _, err := protectionOf(rp, branch); err != nil {
		return err
	}
	delete(rp.Protection, branch)
	return nil
}

// contextStates are the states of the head's statuses and check runs by
// context: a status's latest state, a completed check run's conclusion
// (pending while it runs).
func contextStates(rp *repo, sha string) map[string]string {
	out := map[string]string{}
	for _, st := range rp.Statuses[sha] {
		out[st.Context] = st.State
	}
	for _, cr := range rp.CheckRuns {
		if cr.HeadSHA != sha {
			continue
		}
		switch {
		case cr.Status != "completed":
			out[cr.Name] = "pending"
		case cr.Conclusion == "success" || cr.Conclusion == "neutral" || cr.Conclusion == "skipped":
			out[cr.Name] = "success"
		default:
			out[cr.Name] = "failure"
		}
	}
	return out
}

// protectionProblem is why i cannot merge under its base's protection,
// in GitHub's words, and the mergeable_state that goes with it (blocked
// or behind); empty when nothing stops it.
func (t *tx) protectionProblem(i *issue) (message, state string) {
	rp, p := i.Repo, i.PR
	rule := rp.Protection[p.Base]
	if rule == nil {
		return "", ""
	}
	if msg := checksProblem(rule, contextStates(rp, p.HeadSHA)); msg != "" {
		return msg, "blocked"
	}
	if msg := reviewsProblem(t.w, rule, i); msg != "" {
		return msg, "blocked"
	}
	if rule.StatusChecks && rule.Strict {
		if base, ok := rp.Branches[p.Base]; ok && !rp.Git.isAncestor(t.ctx, base, p.HeadSHA) {
			return "Head branch is out of date. Review and try the merge again.", "behind"
		}
	}
	return "", ""
}

// checksProblem names the required contexts that are not green.
func checksProblem(rule *protection, states map[string]string) string {
	if !rule.StatusChecks {
		return ""
	}
	var expected, failing []string
	for _, c := range rule.Contexts {
		switch states[c] {
		case "success":
		case "", "pending":
			expected = append(expected, c)
		default:
			failing = append(failing, c)
		}
	}
	n := len(rule.Contexts)
	switch {
	case len(failing) == 1 && len(expected) == 0:
		return fmt.Sprintf("Required status check \"%s\" is failing.", failing[0])
	case len(failing) > 0:
		return fmt.Sprintf("%d of %d required status checks have not succeeded: %d failing.", len(failing)+len(expected), n, len(failing))
	case len(expected) == 1:
		return fmt.Sprintf("Required status check \"%s\" is expected.", expected[0])
	case len(expected) > 1:
		return fmt.Sprintf("%d of %d required status checks are expected.", len(expected), n)
	}
	return ""
}

// reviewsProblem says what reviews i lacks: a request for changes by a
// reviewer with write access blocks it, and it needs ApprovalCount
// approvals by such reviewers (with DismissStale, of its current head).
func reviewsProblem(w *world, rule *protection, i *issue) string {
	if !rule.Reviews {
		return ""
	}
	latest := map[string]*review{}
	var order []string
	for _, rv := range i.PR.Reviews {
		if rv.State == "COMMENTED" || rv.State == "PENDING" {
			continue
		}
		l := strings.ToLower(rv.Author)
		if latest[l] == nil {
			order = append(order, l)
		}
		latest[l] = rv
	}
	approvals, changes := 0, false
	for _, l := range order {
		rv := latest[l]
		if !w.can(i.Repo, rv.Author, "write") {
			continue
		}
		switch {
		case rv.State == "CHANGES_REQUESTED":
			changes = true
		case rv.State == "APPROVED" && (!rule.DismissStale || rv.CommitID == i.PR.HeadSHA):
			approvals++
		}
	}
	// GitHub answers a standing request for changes as missing approvals.
	if approvals >= rule.ApprovalCount && !changes {
		return ""
	}
	if rule.ApprovalCount <= 1 {
		return "At least 1 approving review is required by reviewers with write access."
	}
	return fmt.Sprintf("At least %d approving reviews are required by reviewers with write access.", rule.ApprovalCount)
}

// protectionCheck refuses, with 405 and GitHub's message, the merge of a
// pull request its base's protection stops; admins (and the sandbox
// itself) pass unless the rule is enforced for admins too.
func (t *tx) protectionCheck(i *issue) error {
	rule := i.Repo.Protection[i.PR.Base]
	if rule == nil || t.actor == nil || (!rule.EnforceAdmins && t.w.can(i.Repo, t.login(), "admin")) {
		return nil
	}
	if msg, _ := t.protectionProblem(i); msg != "" {
		return &apiError{Status: http.StatusMethodNotAllowed, Message: msg}
	}
	if rule.Restricted && !t.mayPush(i.Repo, rule) {
		return &apiError{Status: http.StatusMethodNotAllowed,
			Message: "You're not authorized to push to this branch. Visit https://docs.github.com/articles/about-protected-branches/ for more information."}
	}
	return nil
}

// mayPush says whether the caller is one of the users, or a member of one
// of the teams, a restricted rule lets push.
func (t *tx) mayPush(rp *repo, rule *protection) bool {
	login := t.login()
	for _, u := range rule.RestrictUsers {
		if strings.EqualFold(u, login) {
			return true
		}
	}
	o := t.w.org(rp.Owner)
	if o == nil {
		return false
	}
	for _, slug := range rule.RestrictTeams {
		if tm := o.Teams[slug]; tm != nil && tm.Members[strings.ToLower(login)] != "" {
			return true
		}
	}
	return false
}

// branchProtectionSummary is the protection object of a branch as
// GET .../branches/{branch} shows it to anyone who can read the
// repository.
func branchProtectionSummary(p *protection) obj {
	if p == nil || !p.StatusChecks {
		return obj{"enabled": p != nil, "required_status_checks": obj{"enforcement_level": "off", "contexts": []string{}, "checks": []obj{}}}
	}
	checks := make([]obj, 0, len(p.Contexts))
	for _, c := range p.Contexts {
		checks = append(checks, obj{"context": c, "app_id": nil})
	}
	level := "non_admins"
	if p.EnforceAdmins {
		level = "everyone"
	}
	return obj{"enabled": true, "required_status_checks": obj{"enforcement_level": level, "contexts": append([]string{}, p.Contexts...), "checks": checks}}
}

// dismissStaleApprovals dismisses the approvals of a pull request whose
// head moved, when its base's rule says dismiss_stale_reviews, as GitHub
// does (with a pull_request_review dismissed webhook each).
func (t *tx) dismissStaleApprovals(i *issue) {
	rule := i.Repo.Protection[i.PR.Base]
	if rule == nil || !rule.Reviews || !rule.DismissStale {
		return
	}
	for _, rv := range i.PR.Reviews {
		if rv.State == "APPROVED" && rv.CommitID != i.PR.HeadSHA {
			rv.State = "DISMISSED"
			t.reviewEvent(i, rv, "dismissed")
		}
	}
}
