package main

import (
	"context"
	"fmt"
	"io"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/branchprotector"
	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

// branchprotectorOptions are the flags of `prow branchprotector`.
type branchprotectorOptions struct {
	cli.ConfigFlags
	confirm  bool
	logLevel string
	github   github.ClientOptions
	out      io.Writer
}

func (o *branchprotectorOptions) Validate() error {
	if err := o.ConfigFlags.Validate(false); err != nil {
		return err
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	return o.github.Validate()
}

func newBranchprotectorCommand() *cobra.Command {
	o := &branchprotectorOptions{}
	cmd := &cobra.Command{
		Use:   "branchprotector",
		Short: "Apply config.yaml's branch-protection to GitHub",
		Long: "branchprotector computes the protection of every managed branch from config.yaml's\n" +
			"branch-protection section (org, repo and branch policies, exclude and include) plus the status\n" +
			"contexts of the required presubmits, compares it with GitHub's and prints what would change.\n" +
			"With --confirm it writes the changes. It runs once and exits (a CronJob in cluster mode).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			o.out = cmd.OutOrStdout()
			return o.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	o.ConfigFlags.AddFlags(f, false)
	f.BoolVar(&o.confirm, "confirm", false, "apply the changes (without it, only print them)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	o.github.AddFlags(f)
	_ = f.MarkHidden("dry-run") // --confirm is the switch here
	return cmd
}

func (o *branchprotectorOptions) run(ctx context.Context) error {
	log := newLogger(o.logLevel).WithField("component", "branchprotector")
	snap, warnings, err := config.Load(o.ConfigFlags.Options())
	for _, w := range warnings {
		log.WithField("problem", w.String()).Warn("Configuration warning")
	}
	if err != nil {
		return err
	}
	o.github.Logger = log
	client, err := github.NewClient(o.github)
	if err != nil {
		return err
	}
	p := &branchprotector.Protector{GitHub: client, Config: snap.Config, Confirm: o.confirm, Out: o.out, Logger: log}
	_, err = p.Run(ctx)
	return err
}
