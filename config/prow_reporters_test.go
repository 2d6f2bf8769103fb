package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	prowapi "github.com/prowbot/prow/prow/api/v1"
)

const periodicSpec = "  interval: 1h\n  spec: {containers: [{image: alpine}]}\n"

// TestBadSlackReportingIsNamedByFileAndLine: checkconfig refuses Slack
// settings that could never work, at the line that holds them.
func TestBadSlackReportingIsNamedByFileAndLine(t *testing.T) {
	cases := []struct {
		name, config, jobs string
		want               string // file:line: message start
	}{
		{name: "a report template that does not parse",
			config: "slack_reporter_configs:\n  '*':\n    channel: ci\n    report_template: 'Job {{.Spec.Job'\n",
			want:   "config.yaml:4: slack_reporter_configs.*.report_template: template: report_template:1: unclosed action"},
		{name: "a report template naming a field a job does not have",
			config: "slack_reporter_configs:\n  org/repo:\n    channel: ci\n    report_template: '{{.Spec.Jobname}}'\n",
			want:   `config.yaml:4: slack_reporter_configs.org/repo.report_template: template: report_template:1:7: executing "report_template" at <.Spec.Jobname>: can't evaluate field Jobname`},
		{name: "an unknown job type",
			config: "slack_reporter_configs:\n  org:\n    channel: ci\n    job_types_to_report:\n    - periodic\n    - nightly\n",
			want:   `config.yaml:6: slack_reporter_configs.org.job_types_to_report[1]: unknown job type "nightly"`},
		{name: "an unknown job state",
			config: "slack_reporter_configs:\n  '*':\n    channel: ci\n    job_states_to_report: [failure, broken]\n",
			want:   `config.yaml:4: slack_reporter_configs.*.job_states_to_report[1]: unknown job state "broken"`},
		{name: "no channel",
			config: "slack_reporter_configs:\n  '*':\n    job_types_to_report: [periodic]\n",
			want:   "config.yaml:3: slack_reporter_configs.*: channel is required"},
		{name: "a job's unknown job state",
			jobs: "periodics:\n- name: ci-nightly\n" + periodicSpec + "  reporter_config:\n    slack:\n      channel: ci\n      job_states_to_report: [failure, exploded]\n",
			want: `jobs.yaml:2: periodic "ci-nightly": reporter_config.slack.job_states_to_report[1]: unknown job state "exploded"`},
		{name: "a job's report template that does not parse",
			jobs: "periodics:\n- name: ci-other\n" + periodicSpec + "- name: ci-nightly\n" + periodicSpec + "  reporter_config:\n    slack:\n      report_template: '{{if}}'\n",
			want: `jobs.yaml:5: periodic "ci-nightly": reporter_config.slack.report_template: template: report_template:1: missing value for if`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			opts := Options{ConfigPath: writeFile(t, dir, "config.yaml", tc.config+"\n")}
			if tc.jobs != "" {
				opts.JobConfigPath = writeFile(t, dir, "jobs.yaml", tc.jobs)
			}
			_, _, err := Load(opts)
			var problems Problems
			if !errors.As(err, &problems) || len(problems) != 1 {
				t.Fatalf("Load = %v, want one problem", err)
			}
			got := strings.TrimPrefix(problems[0].String(), dir+"/")
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("problem %q, want it to start with %q", got, tc.want)
			}
		})
	}
}

// TestProwsSlackReportingLoadsAsWritten: the Kubernetes project's own
// slack_reporter_configs and a job's reporter_config.slack load without
// a warning, the default template filled in where none is given, and a
// job's explicitly empty job_states_to_report is report: false.
func TestProwsSlackReportingLoadsAsWritten(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("testdata", "slack", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := writeFile(t, dir, "config.yaml", string(data))
	jobs, err := os.ReadFile(filepath.Join("testdata", "slack", "jobs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	snap, warnings, err := Load(Options{ConfigPath: cfgPath, JobConfigPath: writeFile(t, dir, "jobs.yaml", string(jobs)), Strict: true})
	if err != nil || len(warnings) != 0 {
		t.Fatalf("Load: %v, warnings %v", err, warnings)
	}
	cfg := snap.Config
	star, ok := cfg.SlackReporterConfigs.SlackFor("any", "repo")
	if !ok || star.Channel != "test-failures" || star.ReportTemplate != DefaultSlackReportTemplate || len(star.JobTypesToReport) != 3 {
		t.Errorf("the '*' entry = %+v", star)
	}
	org, _ := cfg.SlackReporterConfigs.SlackForRefs(nil, []prowapi.Refs{{Org: "kubernetes", Repo: "test-infra"}})
	if org.Channel != "sig-testing" || org.ReportTemplate != DefaultSlackReportTemplate {
		t.Errorf("the kubernetes entry (by extra refs) = %+v", org)
	}
	byName := map[string]*prowapi.SlackReporterConfig{}
	for i := range cfg.Periodics {
		if rc := cfg.Periodics[i].ReporterConfig; rc != nil {
			byName[cfg.Periodics[i].Name] = rc.Slack
		}
	}
	for _, ps := range cfg.Postsubmits["kubernetes/k8s.io"] {
		if rc := ps.ReporterConfig; rc != nil {
			byName[ps.Name] = rc.Slack
		}
	}
	deploy := byName["post-k8sio-deploy-prow-build-trusted-resources"]
	if deploy == nil || deploy.Channel != "prow-alerts" || len(deploy.JobStatesToReport) != 4 || deploy.Report != nil ||
		!strings.HasPrefix(deploy.ReportTemplate, "Deploying") {
		t.Errorf("the deploy postsubmit's slack = %+v", deploy)
	}
	quiet := byName["ci-quiet"]
	if quiet == nil || quiet.Report == nil || *quiet.Report {
		t.Errorf("ci-quiet's explicitly empty job_states_to_report must be report: false: %+v", quiet)
	}
}
