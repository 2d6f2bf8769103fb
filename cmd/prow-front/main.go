package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/prowbot/prow/cmd/internal/checkconfig"
	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/cmd/internal/dispatch"
)

func main() {
	args := os.Args[1:]
	if handOver(args) {
		fail(dispatch.Exec(args))
	}
	root := newRootCommand(dispatch.Exec)
	root.SetArgs(args)
	fail(root.Execute())
}

// fail ends the program for a non-nil error.
func fail(err error) {
	if err == nil {
		return
	}
	var exit exitError
	if errors.As(err, &exit) {
		os.Exit(exit.code)
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}

// handOver says whether the full binary must answer args as a whole:
// help about a component (`prow help hook`) and shell completion inside
// a component's flags (`prow __complete hook --…`), so that both show the
// component's real flags.
func handOver(args []string) bool {
	if len(args) < 2 {
		return false
	}
	switch args[0] {
	case "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		_, ok := dispatch.Lookup(args[1])
		// `prow __complete hook` (completing the name itself) stays here.
		return ok && (args[0] == "help" || len(args) > 2)
	}
	return false
}

// exitError ends the program with a code after the command has already
// printed what the user needs to see.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// newRootCommand is bin/prow: checkconfig and version run here, the
// components are handed to the full binary through execFull, called with
// the arguments after the program name.
func newRootCommand(execFull func(args []string) error) *cobra.Command {
	root := cli.NewRoot()
	root.AddCommand(
		cli.NewVersionCommand(),
		checkconfig.NewCommand(checkconfig.Deps{
			// Looking names up on GitHub needs the GitHub client, which
			// only the full binary links: it runs the whole check.
			Lookup: func(checkconfig.GitHubFlags) (func(org, repo string) (bool, error), error) {
				return nil, execFull(os.Args[1:])
			},
			Exit: func(code int) error { return exitError{code: code} },
		}),
	)
	for _, c := range dispatch.Components {
		name := c.Name
		root.AddCommand(&cobra.Command{
			Use:                name,
			Short:              c.Short,
			DisableFlagParsing: true,
			RunE: func(_ *cobra.Command, args []string) error {
				return execFull(append([]string{name}, args...))
			},
		})
	}
	return root
}
