// Command prow is the one binary of the bot: each component is a
// subcommand, and every subcommand only wires packages together.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/prowbot/prow/cmd/internal/cli"
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
	root := cli.NewRoot()
	root.AddCommand(
		cli.NewVersionCommand(),
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
		newLabelSyncCommand(),
		newStatusReconcilerCommand(),
		newGHProxyCommand(),
		newMkpjCommand(),
		newGangwayCommand(),
	)
	return root
}
