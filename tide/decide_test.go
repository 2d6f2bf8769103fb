package tide

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/report"
)

const (
	oldBase = "1111111111111111111111111111111111111111"
	newBase = "2222222222222222222222222222222222222222"
)

func boolp(b bool) *bool { return &b }

// onBase is a Prow presubmit's status description naming its base.
func onBase(sha string) string { return report.StatusDescription("Job succeeded.", sha) }

func testTide() *config.Tide {
	return &config.Tide{
		Queries: []config.TideQuery{
			{Repos: []string{"o/r"}, Labels: []string{"lgtm", "approved"}, MissingLabels: []string{"do-not-merge/hold"}},
			{Repos: []string{"o/r"}, Labels: []string{"lgtm", "approved", "cherry-pick-approved"}, IncludedBranches: []string{"release"}},
		},
		SquashLabel: "tide/squash", RebaseLabel: "tide/rebase",
		Priority: []config.TidePriority{{Labels: []string{"priority/critical"}}},
	}
}

// ready is a candidate with everything it needs: labels and a green
// required context "ci" and a fresh Prow presubmit "unit".
func ready(number int) Candidate {
	return Candidate{
		PR: PR{Org: "o", Repo: "r", Number: number, BaseRef: "main", HeadSHA: "head", Labels: []string{"lgtm", "approved"}, Mergeable: boolp(true),
			Contexts: []Context{{Name: "ci", State: "success"}, {Name: "unit", State: "success", Description: onBase(newBase)}, {Name: "tide", State: "pending"}}},
		BaseSHA: newBase,
		Policy:  ContextPolicy{Required: []string{"ci", "unit"}, Prow: map[string]bool{"unit": true}},
	}
}

func with(c Candidate, change func(*Candidate)) Candidate {
	c.Labels = append([]string(nil), c.Labels...)
	c.Contexts = append([]Context(nil), c.Contexts...)
	change(&c)
	return c
}

func setContext(c *Candidate, name, state, desc string) {
	for i := range c.Contexts {
		if c.Contexts[i].Name == name {
			c.Contexts[i] = Context{Name: name, State: state, Description: desc}
			return
		}
	}
	c.Contexts = append(c.Contexts, Context{Name: name, State: state, Description: desc})
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name        string
		cand        Candidate
		state, desc string
		inPool      bool
		ready       bool
		stale       []string
		method      string
	}{
		{"everything green is in the merge pool", ready(1), "success", "In merge pool.", true, true, nil, "merge"},
		{"missing both labels", with(ready(1), func(c *Candidate) { c.Labels = nil }),
			"pending", "Not mergeable. Needs lgtm, approved labels.", false, false, nil, "merge"},
		{"missing one label", with(ready(1), func(c *Candidate) { c.Labels = []string{"lgtm"} }),
			"pending", "Not mergeable. Needs approved label.", false, false, nil, "merge"},
		{"held", with(ready(1), func(c *Candidate) { c.Labels = append(c.Labels, "do-not-merge/hold") }),
			"pending", "Not mergeable. Should not have do-not-merge/hold label.", false, false, nil, "merge"},
		{"the closest query is reported", with(ready(1), func(c *Candidate) { c.BaseRef = "release"; c.Labels = append(c.Labels, "do-not-merge/hold") }),
			"pending", "Not mergeable. Should not have do-not-merge/hold label.", false, false, nil, "merge"},
		{"a failed required context", with(ready(1), func(c *Candidate) { setContext(c, "ci", "failure", "") }),
			"pending", "Not mergeable. Job ci has not succeeded.", false, false, nil, "merge"},
		{"a missing external context", with(ready(1), func(c *Candidate) { c.Contexts = c.Contexts[1:] }),
			"pending", "Not mergeable. Job ci has not succeeded.", false, false, nil, "merge"},
		{"labels and jobs missing together", with(ready(1), func(c *Candidate) { c.Labels = nil; setContext(c, "ci", "pending", "") }),
			"pending", "Not mergeable. Needs lgtm, approved labels. Job ci has not succeeded.", false, false, nil, "merge"},
		{"an unknown failing context counts", with(ready(1), func(c *Candidate) { setContext(c, "lint", "failure", "") }),
			"pending", "Not mergeable. Job lint has not succeeded.", false, false, nil, "merge"},
		{"an unknown context is skipped when configured", with(ready(1), func(c *Candidate) { setContext(c, "lint", "failure", ""); c.Policy.SkipUnknown = true }),
			"success", "In merge pool.", true, true, nil, "merge"},
		{"an optional context is ignored", with(ready(1), func(c *Candidate) { setContext(c, "lint", "failure", ""); c.Policy.Optional = []string{"lint"} }),
			"success", "In merge pool.", true, true, nil, "merge"},
		{"a merge conflict is an error", with(ready(1), func(c *Candidate) { c.Mergeable = boolp(false) }),
			"error", "Not mergeable. PR has a merge conflict.", false, false, nil, "merge"},
		{"unknown mergeability does not hold it back", with(ready(1), func(c *Candidate) { c.Mergeable = nil }),
			"success", "In merge pool.", true, true, nil, "merge"},
		{"conflicting method labels", with(ready(1), func(c *Candidate) { c.Labels = append(c.Labels, "tide/squash", "tide/rebase") }),
			"error", "Not mergeable. PR has conflicting merge method override labels.", false, false, nil, "merge"},
		{"a squash label", with(ready(1), func(c *Candidate) { c.Labels = append(c.Labels, "tide/squash") }),
			"success", "In merge pool.", true, true, nil, "squash"},
		{"a presubmit run on an older base is retested", with(ready(1), func(c *Candidate) { setContext(c, "unit", "success", onBase(oldBase)) }),
			"pending", "Not mergeable. Retesting: unit", true, false, []string{"unit"}, "merge"},
		{"a presubmit never run is tested", with(ready(1), func(c *Candidate) { c.Contexts = c.Contexts[:1] }),
			"pending", "Not mergeable. Retesting: unit", true, false, []string{"unit"}, "merge"},
		{"a presubmit marked skip-retest holds on any base", with(ready(1), func(c *Candidate) {
			setContext(c, "unit", "success", "Skipped [prow:skip-retest]"+onBase(oldBase)[30:])
		}), "success", "In merge pool.", true, true, nil, "merge"},
		{"a presubmit running on the current base is waited for", with(ready(1), func(c *Candidate) { setContext(c, "unit", "pending", onBase(newBase)) }),
			"pending", "Not mergeable. Retesting: unit", true, false, nil, "merge"},
		{"a job already passed on the current base counts", with(ready(1), func(c *Candidate) {
			setContext(c, "unit", "success", onBase(oldBase))
			c.Jobs = map[string]string{"unit": "success"}
		}), "success", "In merge pool.", true, true, nil, "merge"},
		{"a failed presubmit is never retested", with(ready(1), func(c *Candidate) { setContext(c, "unit", "failure", onBase(oldBase)) }),
			"pending", "Not mergeable. Job unit has not succeeded.", false, false, nil, "merge"},
		{"a presubmit that errored (its run broke) is rerun", with(ready(1), func(c *Candidate) {
			setContext(c, "unit", "error", onBase(newBase))
			c.Jobs, c.JobErrors = map[string]string{"unit": "error"}, map[string]int{"unit": 1}
		}), "pending", "Not mergeable. Retesting: unit", true, false, []string{"unit"}, "merge"},
		{"a presubmit that errored twice on this base is not", with(ready(1), func(c *Candidate) {
			setContext(c, "unit", "error", onBase(newBase))
			c.Jobs, c.JobErrors = map[string]string{"unit": "error"}, map[string]int{"unit": 2}
		}), "pending", "Not mergeable. Job unit has not succeeded.", false, false, nil, "merge"},
		{"a merge GitHub refused is reported", with(ready(1), func(c *Candidate) { c.Refused = "Pull Request is not mergeable" }),
			"error", "Not mergeable. GitHub refused the merge: Pull Request is not mergeable", true, true, nil, "merge"},
		{"a blocker issue", with(ready(1), func(c *Candidate) { c.Blockers = []int{4, 9} }),
			"error", "Not mergeable. Merging is blocked by issue(s) #4, #9.", false, false, nil, "merge"},
		{"a draft", with(ready(1), func(c *Candidate) { c.Draft = true }),
			"error", "Not mergeable. PR is a draft.", false, false, nil, "merge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := Decide(testTide(), []Candidate{tc.cand})
			if err != nil || len(vs) != 1 {
				t.Fatalf("Decide = %v, %v", vs, err)
			}
			v := vs[0]
			if v.State != tc.state || v.Description != tc.desc {
				t.Errorf("status = %s %q, want %s %q", v.State, v.Description, tc.state, tc.desc)
			}
			if v.InPool != tc.inPool || v.Ready != tc.ready || !reflect.DeepEqual(v.Stale, tc.stale) || v.Method != tc.method {
				t.Errorf("in pool %v, ready %v, stale %q, method %s; want %v, %v, %q, %s", v.InPool, v.Ready, v.Stale, v.Method, tc.inPool, tc.ready, tc.stale, tc.method)
			}
		})
	}
}

func TestDecideLeavesOutUncoveredRepos(t *testing.T) {
	c := ready(1)
	c.Repo = "other"
	vs, err := Decide(testTide(), []Candidate{c})
	if err != nil || len(vs) != 0 {
		t.Fatalf("Decide = %v, %v; want nothing", vs, err)
	}
}

func TestDescriptionsFitGitHubsLimit(t *testing.T) {
	c := with(ready(1), func(c *Candidate) {
		c.Labels = nil
		for _, n := range []string{"a-very-long-job-name-one", "a-very-long-job-name-two", "a-very-long-job-name-three", "a-very-long-job-name-four"} {
			setContext(c, n, "failure", "")
		}
	})
	vs, _ := Decide(testTide(), []Candidate{c})
	if n := len([]rune(vs[0].Description)); n > 140 || !strings.HasSuffix(vs[0].Description, "...") {
		t.Errorf("description of %d characters: %q", n, vs[0].Description)
	}
	long := retesting([]string{strings.Repeat("a", 60), strings.Repeat("b", 60), strings.Repeat("c", 60)})
	if long != "Not mergeable. Retesting 3 jobs." {
		t.Errorf("retesting = %q", long)
	}
}

func TestPlan(t *testing.T) {
	staleUnit := func(c *Candidate) { setContext(c, "unit", "success", onBase(oldBase)) }
	untested := func(c *Candidate) { setContext(c, "unit", "pending", onBase(oldBase)) }
	running := func(c *Candidate) { setContext(c, "unit", "pending", onBase(newBase)) }
	critical := func(c *Candidate) { c.Labels = append(c.Labels, "priority/critical") }
	otherBranch := func(c *Candidate) { c.BaseRef = "dev" }
	run := func(state string, numbers ...int) BatchRun {
		r := BatchRun{BaseSHA: newBase, Pulls: map[int]string{}, States: map[string]string{"unit": state}}
		for _, n := range numbers {
			r.Pulls[n] = "head"
		}
		return r
	}
	for _, tc := range []struct {
		name    string
		cands   []Candidate
		batches []BatchRun
		limit   int
		want    []string // pool kind #numbers
	}{
		{"the oldest ready PR merges first", []Candidate{ready(3), ready(2)}, nil, 0, []string{"o/r:main MERGE #2"}},
		{"priority labels go first", []Candidate{ready(2), with(ready(3), critical)}, nil, 0, []string{"o/r:main MERGE #3"}},
		{"a ready PR merges even while others test", []Candidate{with(ready(1), running), ready(2)}, nil, 0, []string{"o/r:main MERGE #2"}},
		{"wait while presubmits run", []Candidate{with(ready(1), running), with(ready(2), staleUnit)}, nil, 0, []string{"o/r:main WAIT"}},
		{"PRs that passed on an older base are tested together", []Candidate{with(ready(3), staleUnit), with(ready(2), staleUnit), with(ready(4), untested)}, nil, 0,
			[]string{"o/r:main TRIGGER_BATCH #2 #3"}},
		{"a batch is no larger than batch_size_limit", []Candidate{with(ready(3), staleUnit), with(ready(2), staleUnit), with(ready(4), staleUnit)}, nil, 2,
			[]string{"o/r:main TRIGGER_BATCH #2 #3"}},
		{"without batches the first stale PR is retested", []Candidate{with(ready(3), staleUnit), with(ready(2), staleUnit)}, nil, -1,
			[]string{"o/r:main TRIGGER #2"}},
		{"a passed batch merges whole", []Candidate{with(ready(3), staleUnit), with(ready(2), staleUnit), ready(5)}, []BatchRun{run("success", 2, 3)}, 0,
			[]string{"o/r:main MERGE_BATCH #2 #3"}},
		{"a running batch holds back merges and batches", []Candidate{with(ready(3), staleUnit), with(ready(2), staleUnit), ready(5)}, []BatchRun{run("pending", 2, 3)}, 0,
			[]string{"o/r:main WAIT"}},
		{"a batch with a PR pushed since no longer counts", []Candidate{with(ready(3), staleUnit), with(ready(2), staleUnit), with(ready(4), staleUnit)},
			[]BatchRun{func() BatchRun { r := run("success", 2, 3, 4); r.Pulls[3] = "older"; return r }()}, 0, []string{"o/r:main TRIGGER_BATCH #2 #3 #4"}},
		{"a batch of two that failed: the first PR is retested alone", []Candidate{with(ready(3), staleUnit), with(ready(2), staleUnit)},
			[]BatchRun{run("failure", 2, 3)}, 0, []string{"o/r:main TRIGGER #2"}},
		{"a batch of four that failed is bisected", []Candidate{with(ready(1), staleUnit), with(ready(2), staleUnit), with(ready(3), staleUnit), with(ready(4), staleUnit)},
			[]BatchRun{run("failure", 1, 2, 3, 4)}, 0, []string{"o/r:main TRIGGER_BATCH #1 #2"}},
		{"a failed half is bisected again", []Candidate{with(ready(1), staleUnit), with(ready(2), staleUnit), with(ready(3), staleUnit), with(ready(4), staleUnit)},
			[]BatchRun{run("failure", 1, 2, 3, 4), run("failure", 1, 2)}, 0, []string{"o/r:main TRIGGER #1"}},
		{"once the culprit left, the rest are batched", []Candidate{with(ready(1), func(c *Candidate) { setContext(c, "unit", "failure", onBase(newBase)) }),
			with(ready(2), staleUnit), with(ready(3), staleUnit), with(ready(4), staleUnit)},
			[]BatchRun{run("failure", 1, 2, 3, 4), run("failure", 1, 2)}, 0, []string{"o/r:main TRIGGER_BATCH #2 #3 #4"}},
		{"retest the first stale PR", []Candidate{with(ready(3), untested), with(ready(2), untested)}, nil, 0, []string{"o/r:main TRIGGER #2"}},
		{"pools per branch", []Candidate{ready(1), with(ready(2), otherBranch)}, nil, 0, []string{"o/r:dev MERGE #2", "o/r:main MERGE #1"}},
		{"a refused PR lets the next one merge", []Candidate{with(ready(1), func(c *Candidate) { c.Refused = "conflict" }), ready(2)}, nil, 0, []string{"o/r:main MERGE #2"}},
		{"a refused PR is retried when due", []Candidate{with(ready(1), func(c *Candidate) { c.Refused, c.RetryDue = "conflict", true }), ready(2)}, nil, 0, []string{"o/r:main MERGE #1"}},
		{"PRs out of the pool make no pool", []Candidate{with(ready(1), func(c *Candidate) { c.Labels = nil })}, nil, 0, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testTide()
			cfg.BatchSizeLimitMap = map[string]int{"o/r": tc.limit}
			noSpeculation := 0 // Prow's plans; TestPlanSpeculative has the rest
			cfg.SpeculativeDepth = &noSpeculation
			vs, err := Decide(cfg, tc.cands)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, a := range Plan(cfg, vs, map[string][]BatchRun{"o/r:main": tc.batches}, NoLimit()) {
				s := a.Pool + " " + string(a.Kind)
				if a.PR != nil {
					s += " #" + strconv.Itoa(a.PR.Number)
				}
				for _, v := range a.Batch {
					s += " #" + strconv.Itoa(v.Number)
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Plan = %q, want %q", got, tc.want)
			}
		})
	}
}
