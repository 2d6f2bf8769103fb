package trigger

import (
	"reflect"
	"strings"
	"testing"
)

// TestPlanComment follows the cases of Prow's trigger comment handling:
// who may ask, what /ok-to-test and its cancel do to the labels, and what
// ignore_ok_to_test changes.
func TestPlanComment(t *testing.T) {
	trusted := Trust{User: true, PR: true}
	untrustedOnTrustedPR := Trust{PR: true}
	nobody := Trust{}
	ignoring := func(tr Trust) Trust { tr.IgnoreOkToTest = true; return tr }
	workflows := func(tr Trust) Trust { tr.GitHubWorkflows = true; return tr }
	needs := []string{NeedsOkToTest}
	ok := []string{OkToTest}
	for _, tc := range []struct {
		name    string
		body    string
		trust   Trust
		labels  []string
		want    CommentPlan
		runsFor string // the request's flags when the plan runs, for brevity
	}{
		{name: "a comment asking nothing is ignored", body: "nice work", trust: nobody},
		{name: "trusted member's ok-to-test", body: "/ok-to-test", trust: trusted, labels: needs,
			want: CommentPlan{AddLabels: ok, RemoveLabels: needs, Run: true}, runsFor: "ok-to-test"},
		{name: "ok-to-test on a pull request that has the label changes no label", body: "/ok-to-test", trust: trusted, labels: ok,
			want: CommentPlan{Run: true}, runsFor: "ok-to-test"},
		{name: "non-trusted member's ok-to-test is refused", body: "/ok-to-test", trust: nobody, labels: needs,
			want: CommentPlan{Reply: UntrustedReply}},
		{name: "non-trusted member's test all on an untrusted pull request is refused", body: "/test all", trust: nobody,
			want: CommentPlan{Reply: UntrustedReply}},
		{name: "anyone may retest a pull request with ok-to-test", body: "/retest", trust: untrustedOnTrustedPR, labels: ok,
			want: CommentPlan{Run: true}, runsFor: "retest"},
		{name: "ok-to-test label left with needs-ok-to-test is tidied by the next command", body: "/test all", trust: trusted, labels: []string{OkToTest, NeedsOkToTest},
			want: CommentPlan{RemoveLabels: needs, Run: true}, runsFor: "test"},
		{name: "trusted member's ok-to-test cancel restores needs-ok-to-test", body: "/ok-to-test cancel", trust: trusted, labels: ok,
			want: CommentPlan{RemoveLabels: ok, AddLabels: needs}},
		{name: "ok-to-test cancel runs nothing else in the comment", body: "/ok-to-test cancel\n/test all", trust: trusted, labels: ok,
			want: CommentPlan{RemoveLabels: ok, AddLabels: needs}},
		{name: "ok-to-test cancel by an untrusted user on a trusted pull request gets Prow's reply", body: "/ok-to-test cancel", trust: untrustedOnTrustedPR, labels: ok,
			want: CommentPlan{Reply: RevokeReply}},
		{name: "ok-to-test cancel by an untrusted user on an untrusted pull request is refused as untrusted", body: "/ok-to-test cancel", trust: nobody, labels: needs,
			want: CommentPlan{Reply: UntrustedReply}},
		{name: "IgnoreOkToTest: trusted member's ok-to-test adds no label and runs nothing", body: "/ok-to-test", trust: ignoring(trusted), labels: nil,
			want: CommentPlan{Run: false}},
		{name: "IgnoreOkToTest: untrusted pull request gets the ignore reply", body: "/ok-to-test", trust: ignoring(nobody),
			want: CommentPlan{Reply: IgnoredOkToTestReply}},
		{name: "IgnoreOkToTest: ok-to-test cancel does nothing", body: "/ok-to-test cancel", trust: ignoring(trusted), labels: ok,
			want: CommentPlan{}},
		{name: "IgnoreOkToTest: a trusted member can still test", body: "/test all", trust: ignoring(trusted),
			want: CommentPlan{Run: true}, runsFor: "test"},
		{name: "help is planned as a run that answers", body: "/test ?", trust: trusted,
			want: CommentPlan{Run: true}, runsFor: "help"},
		{name: "GitHubWorkflows: a trusted member's ok-to-test approves the waiting workflow runs", body: "/ok-to-test", trust: workflows(trusted), labels: needs,
			want: CommentPlan{AddLabels: ok, RemoveLabels: needs, Run: true, ApproveWorkflows: true}, runsFor: "ok-to-test"},
		{name: "GitHubWorkflows: an untrusted user's ok-to-test on a trusted pull request approves no workflow run", body: "/ok-to-test",
			trust: workflows(untrustedOnTrustedPR), labels: ok, want: CommentPlan{Run: true}, runsFor: "ok-to-test"},
		{name: "GitHubWorkflows: ok-to-test on an untrusted pull request by an untrusted user is refused", body: "/ok-to-test", trust: workflows(nobody),
			labels: needs, want: CommentPlan{Reply: UntrustedReply}},
		{name: "GitHubWorkflows: ignore_ok_to_test approves nothing", body: "/ok-to-test", trust: ignoring(workflows(trusted))},
		{name: "GitHubWorkflows: retest reruns the failed workflow runs", body: "/retest", trust: workflows(untrustedOnTrustedPR), labels: ok,
			want: CommentPlan{Run: true, RerunWorkflows: true}, runsFor: "retest"},
		{name: "GitHubWorkflows: retest-required reruns the failed workflow runs", body: "/retest-required", trust: workflows(trusted),
			want: CommentPlan{Run: true, RerunWorkflows: true}, runsFor: "retest-required"},
		{name: "GitHubWorkflows: test all leaves the workflow runs alone", body: "/test all", trust: workflows(trusted),
			want: CommentPlan{Run: true}, runsFor: "test"},
		{name: "without trigger_github_workflows retest leaves the workflow runs alone", body: "/retest", trust: trusted,
			want: CommentPlan{Run: true}, runsFor: "retest"},
		{name: "GitHubWorkflows: retest on an untrusted pull request is refused", body: "/retest", trust: workflows(nobody),
			want: CommentPlan{Reply: UntrustedReply}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := PlanComment(ParseRequest(tc.body), tc.trust, tc.labels)
			if got.Run != (tc.runsFor != "") {
				t.Fatalf("Run = %v, want a run for %q", got.Run, tc.runsFor)
			}
			if got.Run {
				r := got.Request
				flags := map[string]bool{"ok-to-test": r.OkToTest, "retest": r.Retest, "retest-required": r.RetestRequired, "test": r.Test, "help": r.Help}
				if !flags[tc.runsFor] {
					t.Errorf("the run's request %+v is not a %s", r, tc.runsFor)
				}
			}
			got.Request = Request{}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("PlanComment(%q) = %+v, want %+v", tc.body, got, tc.want)
			}
		})
	}
}

// TestStartsOnLabel follows Prow's labeled cases: lgtm builds an untrusted
// pull request once whoever added it, ok-to-test only when a person did.
func TestStartsOnLabel(t *testing.T) {
	for _, tc := range []struct {
		name             string
		label            string
		byBot, prTrusted bool
		want             bool
	}{
		{"lgtm added by the bot to an untrusted pull request builds it", LGTMLabel, true, false, true},
		{"lgtm added by a person to an untrusted pull request builds it", LGTMLabel, false, false, true},
		{"lgtm on a trusted pull request builds nothing: its jobs ran already", LGTMLabel, true, true, false},
		{"ok-to-test added by a person builds", OkToTest, false, false, true},
		{"ok-to-test added by the bot builds nothing: the comment did", OkToTest, true, false, false},
		{"another label builds nothing", "kind/bug", false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := StartsOnLabel(tc.label, tc.byBot, tc.prTrusted); got != tc.want {
				t.Errorf("StartsOnLabel(%q, bot=%v, trusted=%v) = %v, want %v", tc.label, tc.byBot, tc.prTrusted, got, tc.want)
			}
		})
	}
}

const customTriggerJobs = `
presubmits:
  org/repo:
  - name: unit
    always_run: true
    spec: {containers: [{image: golang}]}
  - name: bench
    trigger: '(?m)^/bench( all)?\s*$'
    rerun_command: /bench
    spec: {containers: [{image: golang}]}
  - name: lint
    trigger: '(?mi)^@bot lint\s*$'
    rerun_command: '@bot lint'
    optional: true
    spec: {containers: [{image: golang}]}
`

// TestCustomTriggers: a job's own trigger regex runs it like /test does,
// as in Prow's "Trigger with custom trigger" cases.
func TestCustomTriggers(t *testing.T) {
	pres := loadPresubmits(t, customTriggerJobs)
	for _, tc := range []struct{ name, body, want string }{
		{"a custom trigger runs its job", "/bench", "bench"},
		{"a custom trigger with its arguments", "/bench all", "bench"},
		{"a trigger that is not a slash command", "@bot lint", "lint"},
		{"a custom trigger in code does nothing", "```\n/bench\n```", ""},
		{"a quoted custom trigger does nothing", "> /bench", ""},
		{"test all does not run a job that needs its trigger", "/test all", "unit"},
		{"the default trigger is not the job's when it has its own", "/test bench", ""},
		{"a custom trigger with other commands", "/test unit\n/bench", "unit,bench"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := ParseRequest(tc.body).MatchTriggers(pres)
			got, err := SelectForComment(req, Selection{Presubmits: pres, Branch: "main", Changes: func() ([]string, error) { return nil, nil }})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range got {
				names = append(names, s.Job.Name)
			}
			if strings.Join(names, ",") != tc.want {
				t.Errorf("%q runs %q, want %q", tc.body, strings.Join(names, ","), tc.want)
			}
			if tc.want != "" && !req.RunsJobs() {
				t.Errorf("%q: RunsJobs = %v", tc.body, req.RunsJobs())
			}
		})
	}
}
