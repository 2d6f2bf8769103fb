package config

import (
	"bytes"
	"fmt"
	"slices"
	"text/template"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/mapkeys"
)

// DefaultSlackReportTemplate is the message of a Slack report when
// neither slack_reporter_configs nor the job sets report_template, as
// Prow's.
const DefaultSlackReportTemplate = `Job {{.Spec.Job}} of type {{.Spec.Type}} ended with state {{.Status.State}}. <{{.Status.URL}}|View logs>`

// knownJobTypes and knownJobStates are the values a reporter's lists may
// name.
var (
	knownJobTypes  = []prowapi.ProwJobType{prowapi.PresubmitJob, prowapi.PostsubmitJob, prowapi.PeriodicJob, prowapi.BatchJob}
	knownJobStates = []prowapi.ProwJobState{prowapi.SchedulingState, prowapi.TriggeredState, prowapi.PendingState,
		prowapi.SuccessState, prowapi.FailureState, prowapi.AbortedState, prowapi.ErrorState}
)

// SlackForRefs returns the Slack reporting that applies to a job with
// refs (its refs, else its first extra refs): the entry of "org/repo",
// else of "org", else of "*", as Prow picks it; false when none does.
func (s SlackReporterConfigs) SlackForRefs(refs *prowapi.Refs, extra []prowapi.Refs) (SlackReporter, bool) {
	if refs == nil && len(extra) > 0 {
		refs = &extra[0]
	}
	if refs == nil {
		return s.SlackFor("", "")
	}
	return s.SlackFor(refs.Org, refs.Repo)
}

// validate checks every entry of slack_reporter_configs: a channel, job
// types and states that exist, and a report template that parses and
// runs on a job. Each error is located at its key in config.yaml.
func (s SlackReporterConfigs) validate() []error {
	var errs []error
	for _, key := range mapkeys.Sorted(s) {
		sr := s[key]
		path := []any{"slack_reporter_configs", key}
		name := "slack_reporter_configs." + key
		if sr.Channel == "" {
			errs = append(errs, at(fmt.Errorf("%s: channel is required", name), path...))
		}
		for i, t := range sr.JobTypesToReport {
			if !slices.Contains(knownJobTypes, t) {
				errs = append(errs, at(fmt.Errorf("%s.job_types_to_report[%d]: unknown job type %q (one of %v)", name, i, t, knownJobTypes),
					append(slices.Clone(path), "job_types_to_report", i)...))
			}
		}
		for i, st := range sr.JobStatesToReport {
			if !slices.Contains(knownJobStates, st) {
				errs = append(errs, at(fmt.Errorf("%s.job_states_to_report[%d]: unknown job state %q (one of %v)", name, i, st, knownJobStates),
					append(slices.Clone(path), "job_states_to_report", i)...))
			}
		}
		if err := CheckSlackTemplate(sr.ReportTemplate); err != nil {
			errs = append(errs, at(fmt.Errorf("%s.report_template: %w", name, err), append(slices.Clone(path), "report_template")...))
		}
	}
	return errs
}

// defaultSlackJob turns a job's explicitly empty
// reporter_config.slack.job_states_to_report (report in no state) into
// report: false, as Prow does: the empty list does not survive being
// written into the ProwJob, where it would read as "the default states".
func defaultSlackJob(rc *prowapi.ReporterConfig) {
	if rc == nil || rc.Slack == nil {
		return
	}
	if s := rc.Slack; s.JobStatesToReport != nil && len(s.JobStatesToReport) == 0 && s.Report == nil {
		no := false
		s.Report = &no
	}
}

// validateSlackJob checks a job's reporter_config.slack.
func validateSlackJob(rc *prowapi.ReporterConfig) []error {
	if rc == nil || rc.Slack == nil {
		return nil
	}
	var errs []error
	for i, st := range rc.Slack.JobStatesToReport {
		if !slices.Contains(knownJobStates, st) {
			errs = append(errs, fmt.Errorf("reporter_config.slack.job_states_to_report[%d]: unknown job state %q (one of %v)", i, st, knownJobStates))
		}
	}
	if rc.Slack.ReportTemplate != "" {
		if err := CheckSlackTemplate(rc.Slack.ReportTemplate); err != nil {
			errs = append(errs, fmt.Errorf("reporter_config.slack.report_template: %w", err))
		}
	}
	return errs
}

// CheckSlackTemplate parses a Slack report template and runs it on a
// sample presubmit, so that a misspelled field fails at load time rather
// than at the first report.
func CheckSlackTemplate(text string) error {
	t, err := template.New("report_template").Parse(text)
	if err != nil {
		return err
	}
	return t.Execute(&bytes.Buffer{}, sampleJob())
}

// sampleJob is a finished presubmit with every field a template commonly
// names set.
func sampleJob() *prowapi.ProwJob {
	now := metav1.Now()
	return &prowapi.ProwJob{
		ObjectMeta: metav1.ObjectMeta{Name: "sample", Labels: map[string]string{}, Annotations: map[string]string{}},
		Spec: prowapi.ProwJobSpec{Type: prowapi.PresubmitJob, Job: "sample-job", Context: "sample-job",
			Refs: &prowapi.Refs{Org: "org", Repo: "repo", BaseRef: "main", BaseSHA: "0000000000000000000000000000000000000000",
				Pulls: []prowapi.Pull{{Number: 1, Author: "author", SHA: "1111111111111111111111111111111111111111"}}}},
		Status: prowapi.ProwJobStatus{State: prowapi.FailureState, StartTime: now, CompletionTime: &now, URL: "https://prow.example/view/1", BuildID: "1"},
	}
}
