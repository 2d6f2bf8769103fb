package statusreconciler

import (
	"reflect"
	"testing"

	"github.com/prowbot/prow/config"
)

func job(name string, set func(*config.Presubmit)) config.Presubmit {
	p := config.Presubmit{JobBase: config.JobBase{Name: name}, AlwaysRun: true, Reporter: config.Reporter{Context: name}}
	if set != nil {
		set(&p)
	}
	return p
}

func jc(ps ...config.Presubmit) *config.JobConfig {
	return &config.JobConfig{Presubmits: map[string][]config.Presubmit{"demo/hello": ps}}
}

// names sums up actions as job names to trigger and contexts to retire.
func names(a Actions) (trig []string, retire []Retirement) {
	for _, p := range a.Trigger["demo/hello"] {
		trig = append(trig, p.Name)
	}
	return trig, a.Retire["demo/hello"]
}

func TestDiff(t *testing.T) {
	unit := job("unit", nil)
	for _, tc := range []struct {
		name        string
		old, new    *config.JobConfig
		wantTrigger []string
		wantRetire  []Retirement
	}{
		{"the same configuration does nothing", jc(unit), jc(unit), nil, nil},
		{"a new always_run presubmit is triggered", jc(unit), jc(unit, job("lint", nil)), []string{"lint"}, nil},
		{"a new run_if_changed presubmit is triggered (where its files changed)", jc(unit),
			jc(unit, job("docs", func(p *config.Presubmit) { p.AlwaysRun, p.RunIfChanged = false, "^docs/" })), []string{"docs"}, nil},
		{"a new optional presubmit is not", jc(unit), jc(unit, job("lint", func(p *config.Presubmit) { p.Optional = true })), nil, nil},
		{"a new skip_report presubmit is not", jc(unit), jc(unit, job("lint", func(p *config.Presubmit) { p.SkipReport = true })), nil, nil},
		{"a new presubmit that only runs when asked is not", jc(unit), jc(unit, job("e2e", func(p *config.Presubmit) { p.AlwaysRun = false })), nil, nil},
		{"a presubmit that starts reporting is triggered", jc(job("lint", func(p *config.Presubmit) { p.SkipReport = true })), jc(job("lint", nil)),
			[]string{"lint"}, nil},
		{"a presubmit that stops being optional is triggered", jc(job("lint", func(p *config.Presubmit) { p.Optional = true })), jc(job("lint", nil)),
			[]string{"lint"}, nil},
		{"a presubmit that now always runs is triggered", jc(job("e2e", func(p *config.Presubmit) { p.AlwaysRun = false })), jc(job("e2e", nil)),
			[]string{"e2e"}, nil},
		{"a presubmit running for other files is triggered", jc(job("docs", func(p *config.Presubmit) { p.AlwaysRun, p.RunIfChanged = false, "^docs/" })),
			jc(job("docs", func(p *config.Presubmit) { p.AlwaysRun, p.RunIfChanged = false, "^(docs|site)/" })), []string{"docs"}, nil},
		{"a presubmit whose spec alone changed is not rerun", jc(unit), jc(job("unit", func(p *config.Presubmit) { p.Cluster = "other" })), nil, nil},
		{"a removed presubmit's context is retired", jc(unit, job("lint", nil)), jc(unit), nil, []Retirement{{Context: "lint"}}},
		{"a removed optional presubmit's context is retired too", jc(unit, job("lint", func(p *config.Presubmit) { p.Optional = true })), jc(unit),
			nil, []Retirement{{Context: "lint"}}},
		{"a removed skip_report presubmit has no context to retire", jc(unit, job("lint", func(p *config.Presubmit) { p.SkipReport = true })), jc(unit), nil, nil},
		{"a removed presubmit whose context another job reports is not retired", jc(unit, job("unit-old", func(p *config.Presubmit) { p.Context = "unit" })),
			jc(unit), nil, nil},
		{"all presubmits of a repository removed retires them all", jc(unit, job("lint", nil)), &config.JobConfig{}, nil,
			[]Retirement{{Context: "unit"}, {Context: "lint"}}},
		{"a renamed context moves its status", jc(unit), jc(job("unit", func(p *config.Presubmit) { p.Context = "ci/unit" })), nil,
			[]Retirement{{Context: "unit", Replacement: "ci/unit"}}},
		{"a renamed context of a job that now runs for other files is retired, and the job runs", jc(unit),
			jc(job("unit", func(p *config.Presubmit) { p.Context, p.AlwaysRun, p.RunIfChanged = "ci/unit", false, "^src/" })),
			[]string{"unit"}, []Retirement{{Context: "unit"}}},
		{"a renamed context of a job that stops reporting is retired without replacement", jc(unit),
			jc(job("unit", func(p *config.Presubmit) { p.Context, p.SkipReport = "ci/unit", true })), nil, []Retirement{{Context: "unit"}}},
		{"a new repository's blocking presubmits are triggered", &config.JobConfig{}, jc(unit, job("lint", func(p *config.Presubmit) { p.Optional = true })),
			[]string{"unit"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trig, retire := names(Diff(tc.old, tc.new))
			if !reflect.DeepEqual(trig, tc.wantTrigger) || !reflect.DeepEqual(retire, tc.wantRetire) {
				t.Errorf("Diff triggers %q and retires %+v; want %q and %+v", trig, retire, tc.wantTrigger, tc.wantRetire)
			}
		})
	}
}
