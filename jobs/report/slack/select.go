package slack

import (
	"bytes"
	"fmt"
	"slices"
	"text/template"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Settings are the Slack reporting of one job: the configuration entry
// of its repository with the job's own reporter_config.slack over it.
type Settings struct {
	// Host names the Slack workspace (its token); "" is the default one.
	Host    string
	Channel string
	// States are the job states reported.
	States []prowapi.ProwJobState
	// Template is the message, a text/template over the ProwJob.
	Template string
}

// Resolve returns the Slack reporting of pj, and whether pj is reported
// on Slack at all (in some state). A job is when its type is one of the
// applying entry's job_types_to_report, or when it names a channel
// itself; and not when report is false (the job's setting winning over
// the entry's).
func Resolve(cfg config.SlackReporterConfigs, pj *prowapi.ProwJob) (Settings, bool) {
	global, _ := cfg.SlackForRefs(pj.Spec.Refs, pj.Spec.ExtraRefs)
	var job prowapi.SlackReporterConfig
	if rc := pj.Spec.ReporterConfig; rc != nil && rc.Slack != nil {
		job = *rc.Slack
	}
	if !slices.Contains(global.JobTypesToReport, pj.Spec.Type) && job.Channel == "" {
		return Settings{}, false
	}
	s := Settings{Host: job.Host, Channel: job.Channel, States: job.JobStatesToReport, Template: job.ReportTemplate}
	if s.Host == "" {
		s.Host = global.Host
	}
	if s.Channel == "" {
		s.Channel = global.Channel
	}
	if s.States == nil {
		s.States = global.JobStatesToReport
	}
	if s.Template == "" {
		s.Template = global.ReportTemplate
	}
	if s.Template == "" {
		s.Template = config.DefaultSlackReportTemplate
	}
	report := job.Report
	if report == nil {
		report = global.Report
	}
	if report != nil && !*report {
		return Settings{}, false
	}
	return s, s.Channel != ""
}

// ShouldReport says whether pj's current state is reported on Slack.
func ShouldReport(cfg config.SlackReporterConfigs, pj *prowapi.ProwJob) bool {
	s, ok := Resolve(cfg, pj)
	return ok && slices.Contains(s.States, pj.Status.State)
}

// Render runs a report template on pj.
func Render(text string, pj *prowapi.ProwJob) (string, error) {
	t, err := template.New("report_template").Parse(text)
	if err != nil {
		return "", fmt.Errorf("parse report_template: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, pj); err != nil {
		return "", fmt.Errorf("run report_template: %w", err)
	}
	return b.String(), nil
}
