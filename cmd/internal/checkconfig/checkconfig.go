package checkconfig

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/plugins/catalog/names"
)

// GitHubFlags are the --github-* flags: when Endpoint is set, the tide
// query orgs and repos that nothing else in the configuration names are
// looked up there.
type GitHubFlags struct {
	Endpoint          string
	TokenPath         string
	AppID             int64
	AppPrivateKeyPath string
}

// ScopeLookup builds, from the --github-* flags (Endpoint set), the
// function that says whether an org (repo "") or a repo exists.
type ScopeLookup func(GitHubFlags) (func(org, repo string) (bool, error), error)

// Deps are what the binary hands the command.
type Deps struct {
	// Lookup is called when --github-endpoint is set.
	Lookup ScopeLookup
	// Exit makes the error that ends the program with a code, after the
	// command has printed the problems.
	Exit func(code int) error
}

// options are the flags of `prow checkconfig`, named as Prow's.
type options struct {
	cli.ConfigFlags
	strict bool
	github GitHubFlags
	// prowYAMLRepo and prowYAMLPath check a repository's in-repo
	// configuration (.prow.yaml or .prow/) too.
	prowYAMLRepo string
	prowYAMLPath string
}

func (o *options) Validate() error {
	if err := o.ConfigFlags.Validate(false); err != nil {
		return err
	}
	if o.prowYAMLPath != "" && o.prowYAMLRepo == "" {
		return errors.New("--prow-yaml-repo-path needs --prow-yaml-repo-name")
	}
	if o.github.Endpoint != "" && o.github.TokenPath == "" && o.github.AppID == 0 {
		return errors.New("--github-endpoint needs --github-token-path or --github-app-id")
	}
	return nil
}

// NewCommand returns `prow checkconfig`.
func NewCommand(d Deps) *cobra.Command {
	o := &options{}
	cmd := &cobra.Command{
		Use:   "checkconfig",
		Short: "Load and validate config.yaml, job configs and plugins.yaml",
		Long: "checkconfig loads the configuration exactly as the running components do and reports every\n" +
			"problem with its file and line. It exits 0 and prints a summary when the configuration is valid,\n" +
			"and 1 with one line per problem when it is not. Unknown fields are warnings, or errors with --strict.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			return o.run(d, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	o.ConfigFlags.AddFlags(f, true)
	f.BoolVar(&o.strict, "strict", false, "treat unknown fields as errors")
	f.StringVar(&o.github.Endpoint, "github-endpoint", "", "GitHub API endpoint: when set, tide query orgs and repos that nothing else in the configuration names are looked up there (missing: an error) instead of being warned about")
	f.StringVar(&o.github.TokenPath, "github-token-path", "", "file holding a GitHub token, for --github-endpoint")
	f.Int64Var(&o.github.AppID, "github-app-id", 0, "GitHub App ID, for --github-endpoint")
	f.StringVar(&o.github.AppPrivateKeyPath, "github-app-private-key-path", "", "file holding the GitHub App's private key, for --github-endpoint")
	f.StringVar(&o.prowYAMLRepo, "prow-yaml-repo-name", "", "org/repo whose in-repo configuration (.prow.yaml or .prow/) is checked too, against the central configuration")
	f.StringVar(&o.prowYAMLPath, "prow-yaml-repo-path", "", "the checkout of --prow-yaml-repo-name (or its .prow.yaml); default: where the pod utilities clone it, "+defaultCheckoutRoot+"/<org>/<repo>")
	return cmd
}

func (o *options) run(d Deps, stdout, stderr io.Writer) error {
	var exists func(org, repo string) (bool, error)
	if o.github.Endpoint != "" {
		if d.Lookup == nil {
			return errors.New("--github-endpoint: this binary has no GitHub client")
		}
		var err error
		if exists, err = d.Lookup(o.github); err != nil {
			return err
		}
	}
	snap, warnings, err := load(config.Options{
		ConfigPath:       o.ConfigPath,
		JobConfigPath:    o.JobConfigPath,
		PluginConfigPath: o.PluginConfigPath,
		Strict:           o.strict,
		// Prow's plugin names validate; those this binary lacks are
		// warnings, since enabling them does nothing.
		ImplementedPlugins: names.Names(),
		Unimplemented:      func(c *config.Config) []string { return c.Unsupported() },
		CheckTideScopes:    true,
		ScopeExists:        exists,
	})
	var problems config.Problems
	if err == nil && o.prowYAMLRepo != "" {
		root, rerr := prowYAMLRoot(o.prowYAMLRepo, o.prowYAMLPath)
		if rerr != nil {
			return rerr
		}
		inRepo, inRepoWarnings, rerr := checkProwYAML(snap.Config, o.prowYAMLRepo, root)
		if rerr != nil {
			return rerr
		}
		if o.strict {
			inRepo = append(inRepo, inRepoWarnings...)
		} else {
			warnings = append(warnings, inRepoWarnings...)
		}
		if len(inRepo) > 0 {
			err = inRepo
		}
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		fmt.Fprintf(stderr, "%d problem(s) found\n", len(problems))
		return d.Exit(1)
	}
	if err != nil {
		return err
	}
	s := snap.Config.Summarize()
	_, err = fmt.Fprintf(stdout, "%d presubmits, %d postsubmits, %d periodics across %d repositories\n",
		s.Presubmits, s.Postsubmits, s.Periodics, s.Repositories)
	return err
}
