package slack

import (
	"slices"
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"

	"github.com/prowbot/prow/config"
)

type states = []prowapi.ProwJobState

var (
	failing  = states{prowapi.FailureState, prowapi.ErrorState}
	yes, no  = true, false
	everyRun = states{prowapi.SuccessState, prowapi.FailureState, prowapi.AbortedState, prowapi.ErrorState}
)

// configs is slack_reporter_configs with an entry for everything, one for
// org "kube" and one for kube/infra, each its own channel.
func configs() config.SlackReporterConfigs {
	entry := func(channel string, types []prowapi.ProwJobType, st states) config.SlackReporter {
		return config.SlackReporter{JobTypesToReport: types,
			SlackReporterConfig: prowapi.SlackReporterConfig{Channel: channel, JobStatesToReport: st}}
	}
	c := config.SlackReporterConfigs{
		"*":          entry("everyone", []prowapi.ProwJobType{prowapi.PeriodicJob, prowapi.PostsubmitJob}, failing),
		"kube":       entry("kube-ci", []prowapi.ProwJobType{prowapi.PostsubmitJob}, states{prowapi.FailureState}),
		"kube/infra": entry("infra-ci", []prowapi.ProwJobType{prowapi.PresubmitJob}, everyRun),
	}
	infra := c["kube/infra"]
	infra.ReportTemplate = "infra: {{.Spec.Job}} {{.Status.State}}"
	c["kube/infra"] = infra
	return c
}

func job(t prowapi.ProwJobType, org, repo string, state prowapi.ProwJobState, slack *prowapi.SlackReporterConfig) *prowapi.ProwJob {
	pj := &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Type: t, Job: "the-job"}, Status: prowapi.ProwJobStatus{State: state, URL: "https://prow.example/view/1"}}
	if org != "" {
		pj.Spec.Refs = &prowapi.Refs{Org: org, Repo: repo}
	}
	if slack != nil {
		pj.Spec.ReporterConfig = &prowapi.ReporterConfig{Slack: slack}
	}
	return pj
}

// TestWhatIsReportedWhere: the most specific entry applies; a job is
// reported when its type is listed or it names a channel itself; its
// own settings win over the entry's; report: false silences it.
func TestWhatIsReportedWhere(t *testing.T) {
	cases := []struct {
		name        string
		cfg         config.SlackReporterConfigs
		pj          *prowapi.ProwJob
		wantReport  bool
		wantChannel string
		wantTmpl    string
	}{
		{"a failed periodic goes to the global channel", configs(),
			job(prowapi.PeriodicJob, "", "", prowapi.FailureState, nil), true, "everyone", config.DefaultSlackReportTemplate},
		{"a successful periodic is not in the global states", configs(),
			job(prowapi.PeriodicJob, "", "", prowapi.SuccessState, nil), false, "", ""},
		{"a presubmit is not a type the global entry reports", configs(),
			job(prowapi.PresubmitJob, "other", "repo", prowapi.FailureState, nil), false, "", ""},
		{"the org entry wins over the global one", configs(),
			job(prowapi.PostsubmitJob, "kube", "kubernetes", prowapi.FailureState, nil), true, "kube-ci", config.DefaultSlackReportTemplate},
		{"the org entry's states apply, not the global ones", configs(),
			job(prowapi.PostsubmitJob, "kube", "kubernetes", prowapi.ErrorState, nil), false, "", ""},
		{"the org entry's types apply: periodics of the org are not reported", configs(),
			job(prowapi.PeriodicJob, "kube", "kubernetes", prowapi.FailureState, nil), false, "", ""},
		{"the repo entry wins over the org one, with its template", configs(),
			job(prowapi.PresubmitJob, "kube", "infra", prowapi.SuccessState, nil), true, "infra-ci", "infra: {{.Spec.Job}} {{.Status.State}}"},
		{"a periodic's first extra refs choose its entry", configs(),
			func() *prowapi.ProwJob {
				pj := job(prowapi.PostsubmitJob, "", "", prowapi.FailureState, nil)
				pj.Spec.ExtraRefs = []prowapi.Refs{{Org: "kube", Repo: "test-infra"}}
				return pj
			}(), true, "kube-ci", config.DefaultSlackReportTemplate},
		{"a job naming a channel is reported whatever its type", configs(),
			job(prowapi.PresubmitJob, "other", "repo", prowapi.ErrorState, &prowapi.SlackReporterConfig{Channel: "mine"}),
			true, "mine", config.DefaultSlackReportTemplate},
		{"the job's states win over the entry's", configs(),
			job(prowapi.PeriodicJob, "", "", prowapi.SuccessState, &prowapi.SlackReporterConfig{JobStatesToReport: states{prowapi.SuccessState}}),
			true, "everyone", config.DefaultSlackReportTemplate},
		{"the job's template wins over the entry's", configs(),
			job(prowapi.PresubmitJob, "kube", "infra", prowapi.FailureState, &prowapi.SlackReporterConfig{ReportTemplate: "mine: {{.Spec.Job}}"}),
			true, "infra-ci", "mine: {{.Spec.Job}}"},
		{"a job's report: false silences it", configs(),
			job(prowapi.PeriodicJob, "", "", prowapi.FailureState, &prowapi.SlackReporterConfig{Report: &no}), false, "", ""},
		{"a job's report: true does not silence the entry's", func() config.SlackReporterConfigs {
			c := configs()
			e := c["*"]
			e.Report = &no
			c["*"] = e
			return c
		}(), job(prowapi.PeriodicJob, "", "", prowapi.FailureState, &prowapi.SlackReporterConfig{Report: &yes}), true, "everyone", config.DefaultSlackReportTemplate},
		{"an entry's report: false silences its jobs", func() config.SlackReporterConfigs {
			c := configs()
			e := c["*"]
			e.Report = &no
			c["*"] = e
			return c
		}(), job(prowapi.PeriodicJob, "", "", prowapi.FailureState, nil), false, "", ""},
		{"without slack_reporter_configs only jobs naming a channel are reported", nil,
			job(prowapi.PeriodicJob, "", "", prowapi.FailureState, &prowapi.SlackReporterConfig{Channel: "mine", JobStatesToReport: failing}),
			true, "mine", config.DefaultSlackReportTemplate},
		{"without slack_reporter_configs a job naming only states is not reported", nil,
			job(prowapi.PeriodicJob, "", "", prowapi.FailureState, &prowapi.SlackReporterConfig{JobStatesToReport: failing}), false, "", ""},
		{"a job naming a channel but no states, and no entry, reports no state", nil,
			job(prowapi.PeriodicJob, "", "", prowapi.FailureState, &prowapi.SlackReporterConfig{Channel: "mine"}), false, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ShouldReport(tc.cfg, tc.pj)
			if got != tc.wantReport {
				t.Fatalf("ShouldReport = %v, want %v", got, tc.wantReport)
			}
			if !got {
				return
			}
			s, _ := Resolve(tc.cfg, tc.pj)
			if s.Channel != tc.wantChannel || s.Template != tc.wantTmpl || !slices.Contains(s.States, tc.pj.Status.State) {
				t.Errorf("Resolve = %+v, want channel %q and template %q", s, tc.wantChannel, tc.wantTmpl)
			}
		})
	}
}

func TestReportTemplatesRenderTheJob(t *testing.T) {
	pj := job(prowapi.PostsubmitJob, "kube", "infra", prowapi.FailureState, nil)
	pj.Spec.Refs.BaseSHA = "0123456789abcdef"
	cases := []struct {
		name, tmpl, want string
		wantErr          bool
	}{
		{"Prow's default", config.DefaultSlackReportTemplate,
			"Job the-job of type postsubmit ended with state failure. <https://prow.example/view/1|View logs>", false},
		{"refs and printf", `{{.Spec.Refs.Org}}/{{.Spec.Refs.Repo}}@{{printf "%.7s" .Spec.Refs.BaseSHA}}: {{.Status.State}}`,
			"kube/infra@0123456: failure", false},
		{"a field the job lacks", `{{.Spec.Refs.Pulls}}{{(index .Spec.Refs.Pulls 0).Number}}`, "", true},
		{"a template that does not parse", `{{.Spec.Job`, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Render(tc.tmpl, pj)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("Render = %q, %v; want %q (error: %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
