package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/prowbot/prow/labelsync"
	"github.com/prowbot/prow/prow/github"
)

// labelSyncOptions are the flags of `prow label-sync`.
type labelSyncOptions struct {
	configPath string
	action     string
	docsOutput string
	confirm    bool
	orgs       []string
	only       []string
	skip       []string
	logLevel   string
	github     github.ClientOptions
	// Prow's label_sync flags, kept so its CronJobs' arguments work.
	prowToken     string
	prowEndpoints []string
	prowDebug     bool
	out           io.Writer
}

func (o *labelSyncOptions) Validate() error {
	if o.configPath == "" {
		return errors.New("--config is required")
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	switch o.action {
	case "docs":
		return nil // needs no GitHub
	case "sync":
	default:
		return fmt.Errorf("--action %q: want sync or docs", o.action)
	}
	switch {
	case len(o.orgs) > 0 && len(o.only) > 0:
		return errors.New("use either --orgs or --only, not both")
	case len(o.orgs) == 0 && len(o.only) == 0:
		return errors.New("say which repositories to sync: --orgs or --only")
	}
	if err := validateRepoFlags(o.orgs, o.only, o.skip); err != nil {
		return err
	}
	return o.github.Validate()
}

// prowFlags carries Prow's label_sync flags over to the project's.
func (o *labelSyncOptions) prowFlags(fs *pflag.FlagSet) error {
	for _, pair := range [][2]string{{"token", "github-token-path"}, {"endpoint", "github-endpoint"}, {"debug", "log-level"}} {
		if fs.Changed(pair[0]) && fs.Changed(pair[1]) {
			return fmt.Errorf("--%s and --%s are the same setting: give one", pair[0], pair[1])
		}
	}
	if o.prowToken != "" {
		o.github.TokenPath = o.prowToken
	}
	if len(o.prowEndpoints) > 0 {
		o.github.Endpoint = o.prowEndpoints[0]
	}
	if o.prowDebug {
		o.logLevel = "debug"
	}
	return nil
}

// validateRepoFlags checks that orgs are org names and only and skip
// org/repo names.
func validateRepoFlags(orgs, only, skip []string) error {
	for _, org := range orgs {
		if org == "" || strings.Contains(org, "/") {
			return fmt.Errorf("--orgs: %q is not an org name", org)
		}
	}
	for _, f := range []struct {
		flag string
		list []string
	}{{"--only", only}, {"--skip", skip}} {
		for _, r := range f.list {
			if org, repo, ok := strings.Cut(r, "/"); !ok || org == "" || repo == "" || strings.Contains(repo, "/") {
				return fmt.Errorf("%s: %q is not of the form org/repo", f.flag, r)
			}
		}
	}
	return nil
}

func newLabelSyncCommand() *cobra.Command {
	o := &labelSyncOptions{}
	cmd := &cobra.Command{
		Use:   "label-sync",
		Short: "Keep repositories' labels as labels.yaml says",
		Long: "label-sync reads labels.yaml (Prow's label_sync format) and, for every repository of --orgs\n" +
			"or each one of --only, prints what it would create, update, rename (from a label's previously\n" +
			"names, keeping it on issues) and delete (past deleteAfter). With --confirm it makes the\n" +
			"changes. It runs once and exits (a CronJob in cluster mode). --action docs writes a\n" +
			"Markdown page of the labels instead (to --docs-output, or standard output).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.prowFlags(cmd.Flags()); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			o.out = cmd.OutOrStdout()
			return o.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.prowToken, "token", "", "Prow's name of --github-token-path")
	f.StringSliceVar(&o.prowEndpoints, "endpoint", nil, "Prow's name of --github-endpoint (the first one given is used)")
	f.BoolVar(&o.prowDebug, "debug", false, "Prow's name of --log-level=debug")
	for _, name := range []string{"token", "endpoint", "debug"} {
		_ = f.MarkHidden(name)
	}
	f.StringVar(&o.configPath, "config", "", "path to labels.yaml")
	f.StringVar(&o.action, "action", "sync", "sync: sync the labels; docs: write the labels' documentation")
	f.StringVar(&o.docsOutput, "docs-output", "", "with --action docs, the file to write (default: standard output)")
	f.BoolVar(&o.confirm, "confirm", false, "apply the changes (without it, only print them)")
	f.StringSliceVar(&o.orgs, "orgs", nil, "orgs whose every repository is synced (comma-separated)")
	f.StringSliceVar(&o.only, "only", nil, "sync only these repositories (org/repo, comma-separated), instead of --orgs")
	f.StringSliceVar(&o.skip, "skip", nil, "repositories to leave alone (org/repo, comma-separated)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	o.github.AddFlags(f)
	_ = f.MarkHidden("dry-run") // --confirm is the switch here
	return cmd
}

func (o *labelSyncOptions) run(ctx context.Context) error {
	log := newLogger(o.logLevel).WithField("component", "label-sync")
	cfg, unknown, err := labelsync.Load(o.configPath)
	for _, w := range unknown {
		log.WithField("problem", w.String()).Warn("Labels configuration warning")
	}
	if err != nil {
		return err
	}
	if o.action == "docs" {
		return o.writeDocs(cfg)
	}
	o.github.Logger = log
	client, err := github.NewClient(o.github)
	if err != nil {
		return err
	}
	s := &labelsync.Syncer{GitHub: client, Config: cfg, Orgs: o.orgs, Only: o.only, Skip: o.skip,
		Confirm: o.confirm, Out: o.out, Logger: log}
	_, err = s.Run(ctx)
	return err
}

// writeDocs writes the labels' documentation to --docs-output or out.
func (o *labelSyncOptions) writeDocs(cfg *labelsync.Configuration) error {
	if o.docsOutput == "" {
		return labelsync.WriteDocs(o.out, cfg)
	}
	var b bytes.Buffer
	if err := labelsync.WriteDocs(&b, cfg); err != nil {
		return err
	}
	if err := os.WriteFile(o.docsOutput, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write labels documentation: %w", err)
	}
	return nil
}
