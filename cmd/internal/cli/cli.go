// Package cli holds the command line both prow binaries share: the full
// one (cmd/prow, installed as prow-components) and the lean front
// (cmd/prow-front, bin/prow).
package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/prowbot/prow/prow/version"
)

// NewRoot is the root command, prow, before its subcommands are added.
func NewRoot() *cobra.Command {
	return &cobra.Command{
		Use:           "prow",
		Short:         "A Prow-compatible GitHub automation bot",
		Long:          "prow runs ChatOps commands, CI jobs and the job dashboard for GitHub repositories,\nreading Prow's configuration, ProwJob records and artifact layout as they are.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
}

// NewVersionCommand is `prow version`: it prints the build version.
func NewVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the build version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), version.Get())
			return err
		},
	}
}
