package slack

import (
	"context"
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Name is the reporter's key in status.prev_report_states, Prow's.
const Name = "slackreporter"

// Poster posts a message to a Slack channel; *Client is one.
type Poster interface {
	PostMessage(ctx context.Context, channel, text string) error
}

// Reporter posts job states to Slack: a report.Reporter.
type Reporter struct {
	hosts map[string]Poster
}

// New returns a reporter posting through hosts, keyed by Slack host
// (workspace) as jobs name it in reporter_config.slack.host; "" is the
// workspace of jobs and entries that name none.
func New(hosts map[string]Poster) (*Reporter, error) {
	if len(hosts) == 0 {
		return nil, errors.New("slack reporter: no Slack workspace to post to")
	}
	return &Reporter{hosts: hosts}, nil
}

// Name is "slackreporter".
func (r *Reporter) Name() string { return Name }

// ShouldReport says whether pj's current state goes to Slack.
func (r *Reporter) ShouldReport(cfg *config.Config, pj *prowapi.ProwJob) bool {
	return ShouldReport(cfg.SlackReporterConfigs, pj)
}

// Report posts pj's state. A template that fails on this job (a field
// that is nil for it) is logged and the default message is posted
// instead, so that the state is not lost.
func (r *Reporter) Report(ctx context.Context, log *logrus.Entry, cfg *config.Config, pj *prowapi.ProwJob) error {
	s, ok := Resolve(cfg.SlackReporterConfigs, pj)
	if !ok {
		return nil
	}
	poster := r.hosts[s.Host]
	if poster == nil {
		return fmt.Errorf("no Slack token for host %q (give one with --slack-token-file=%s=<path>)", s.Host, s.Host)
	}
	text, err := Render(s.Template, pj)
	if err != nil {
		log.WithError(err).WithField("channel", s.Channel).Warn("Slack report template failed on this job; posting the default message")
		if text, err = Render(config.DefaultSlackReportTemplate, pj); err != nil {
			return err
		}
	}
	if err := poster.PostMessage(ctx, s.Channel, text); err != nil {
		return fmt.Errorf("post to Slack channel %s: %w", s.Channel, err)
	}
	return nil
}
