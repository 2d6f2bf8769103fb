package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	gpubsub "cloud.google.com/go/pubsub/v2"
	"github.com/spf13/pflag"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/prowbot/prow/jobs/report"
	"github.com/prowbot/prow/jobs/report/pubsub"
	"github.com/prowbot/prow/jobs/report/slack"
)

// reporterFlags turn on crier's optional reporters, Slack and Pub/Sub,
// with Prow's crier flags; `prow serve` and `prow controller` share them.
type reporterFlags struct {
	slackTokenFiles []string
	slackAPIURL     string
	slackWorkers    int
	pubsubWorkers   int
	pubsubEndpoint  string
}

func (f *reporterFlags) AddFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.slackTokenFiles, "slack-token-file", nil,
		"file holding the Slack bot token (xoxb-...) that turns on the Slack reporter; repeat as host=path for the workspaces jobs name in reporter_config.slack.host")
	fs.StringVar(&f.slackAPIURL, "slack-api-url", slack.DefaultAPIURL, "base URL of Slack's Web API (chat.postMessage is appended)")
	fs.IntVar(&f.slackWorkers, "slack-workers", 1, "Slack messages posted at once (0 turns the Slack reporter off)")
	fs.IntVar(&f.pubsubWorkers, "pubsub-workers", 0, "Pub/Sub messages published at once; more than 0 turns on the Pub/Sub reporter (credentials: Application Default Credentials)")
	fs.StringVar(&f.pubsubEndpoint, "pubsub-endpoint", "", "host:port of a Pub/Sub emulator, reached without TLS or credentials (for tests)")
}

// slackTokens parses --slack-token-file into token files by host ("" is
// the default workspace).
func (f *reporterFlags) slackTokens() (map[string]string, error) {
	out := map[string]string{}
	for _, v := range f.slackTokenFiles {
		host, path := "", v
		if h, p, ok := strings.Cut(v, "="); ok {
			host, path = h, p
		}
		if path == "" {
			return nil, fmt.Errorf("--slack-token-file %q names no file", v)
		}
		if _, dup := out[host]; dup {
			return nil, fmt.Errorf("--slack-token-file gives two files for host %q", host)
		}
		out[host] = path
	}
	return out, nil
}

func (f *reporterFlags) Validate() error {
	if f.slackWorkers < 0 || f.pubsubWorkers < 0 {
		return errors.New("--slack-workers and --pubsub-workers must not be negative")
	}
	if _, err := f.slackTokens(); err != nil {
		return err
	}
	if f.pubsubEndpoint != "" && f.pubsubWorkers == 0 {
		return errors.New("--pubsub-endpoint needs --pubsub-workers above 0")
	}
	return nil
}

// extraReporter is a reporter run in a report loop of its own, so that
// its outside system never delays the others.
type extraReporter struct {
	// part names the loop in logs ("crier-slack").
	part     string
	reporter report.Reporter
	workers  int
}

// build returns the reporters the flags turn on, and a function that
// releases what they hold.
func (f *reporterFlags) build() ([]extraReporter, func(), error) {
	var out []extraReporter
	closers := []func(){}
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	tokens, err := f.slackTokens()
	if err != nil {
		return nil, nil, err
	}
	if len(tokens) > 0 && f.slackWorkers > 0 {
		hosts := map[string]slack.Poster{}
		for host, path := range tokens {
			hosts[host] = &slack.Client{APIURL: f.slackAPIURL, Token: slack.TokenFile(path)}
		}
		r, err := slack.New(hosts)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, extraReporter{part: "crier-slack", reporter: r, workers: f.slackWorkers})
	}
	if f.pubsubWorkers > 0 {
		r, err := pubsub.New(f.pubsubClient)
		if err != nil {
			return nil, nil, err
		}
		closers = append(closers, func() { _ = r.Close() })
		out = append(out, extraReporter{part: "crier-pubsub", reporter: r, workers: f.pubsubWorkers})
	}
	return out, closeAll, nil
}

// pubsubClient makes the Pub/Sub client of a project.
func (f *reporterFlags) pubsubClient(ctx context.Context, project string) (*gpubsub.Client, error) {
	var opts []option.ClientOption
	if f.pubsubEndpoint != "" {
		opts = append(opts, option.WithEndpoint(f.pubsubEndpoint), option.WithoutAuthentication(),
			option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
	}
	return gpubsub.NewClient(ctx, project, opts...)
}
