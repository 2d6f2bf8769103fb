// Command prow is the one binary of the bot: each component is a
// subcommand, and every subcommand only wires packages together.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := newRootCommand().Execute(); err != nil {
		var exit exitError
		if asExit(err, &exit) {
			os.Exit(exit.code)
		}
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "prow",
		Short:         "A Prow-compatible GitHub automation bot",
		Long:          "prow runs ChatOps commands, CI jobs and the job dashboard for GitHub repositories,\nreading Prow's configuration, ProwJob records and artifact layout as they are.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newVersionCommand(),
		newCheckconfigCommand(),
		newHookCommand(),
		newPhonyCommand(),
		newSandboxCommand(),
		newServeCommand(),
		newDeckCommand(),
		newClonerefsCommand(),
		newInituploadCommand(),
		newEntrypointCommand(),
		newSidecarCommand(),
		newControllerCommand(),
		newSinkerCommand(),
		newTideCommand(),
		newBranchprotectorCommand(),
		newStatusReconcilerCommand(),
		newGHProxyCommand(),
	)
	return root
}
