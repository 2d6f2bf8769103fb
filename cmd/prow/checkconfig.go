package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/plugins/catalog"
	"github.com/prowbot/prow/prow/github"
)

// checkconfigOptions are the flags of `prow checkconfig`, named as Prow's.
type checkconfigOptions struct {
	configPath       string
	jobConfigPath    string
	pluginConfigPath string
	strict           bool
	// github, when its endpoint is set, looks up the tide query orgs and
	// repos that nothing else in the configuration names.
	github github.ClientOptions
}

func (o *checkconfigOptions) Validate() error {
	if o.configPath == "" {
		return errors.New("--config-path is required")
	}
	if o.github.Endpoint != "" {
		if o.github.TokenPath == "" && o.github.AppID == 0 {
			return errors.New("--github-endpoint needs --github-token-path or --github-app-id")
		}
		return o.github.Validate()
	}
	return nil
}

func newCheckconfigCommand() *cobra.Command {
	o := &checkconfigOptions{}
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
			return o.run(cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.configPath, "config-path", "", "path to config.yaml")
	f.StringVar(&o.jobConfigPath, "job-config-path", "", "path to a job config file or a directory of them")
	f.StringVar(&o.pluginConfigPath, "plugin-config", "", "path to plugins.yaml")
	f.BoolVar(&o.strict, "strict", false, "treat unknown fields as errors")
	f.StringVar(&o.github.Endpoint, "github-endpoint", "", "GitHub API endpoint: when set, tide query orgs and repos that nothing else in the configuration names are looked up there (missing: an error) instead of being warned about")
	f.StringVar(&o.github.TokenPath, "github-token-path", "", "file holding a GitHub token, for --github-endpoint")
	f.Int64Var(&o.github.AppID, "github-app-id", 0, "GitHub App ID, for --github-endpoint")
	f.StringVar(&o.github.AppPrivateKeyPath, "github-app-private-key-path", "", "file holding the GitHub App's private key, for --github-endpoint")
	return cmd
}

// scopeExists looks orgs and repos up on GitHub when an endpoint is
// given; nil otherwise.
func (o *checkconfigOptions) scopeExists() (func(org, repo string) (bool, error), error) {
	if o.github.Endpoint == "" {
		return nil, nil
	}
	opts := o.github
	opts.Logger = logrus.NewEntry(logrus.StandardLogger())
	c, err := github.NewClient(opts)
	if err != nil {
		return nil, err
	}
	return func(org, repo string) (bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return c.RepoExists(ctx, org, repo)
	}, nil
}

func (o *checkconfigOptions) run(stdout, stderr io.Writer) error {
	exists, err := o.scopeExists()
	if err != nil {
		return err
	}
	snap, warnings, err := config.Load(config.Options{
		ConfigPath:       o.configPath,
		JobConfigPath:    o.jobConfigPath,
		PluginConfigPath: o.pluginConfigPath,
		Strict:           o.strict,
		// Prow's plugin names validate; those this binary lacks are
		// warnings, since enabling them does nothing.
		ImplementedPlugins: catalog.Names(),
		Unimplemented:      prowUnimplemented,
		CheckTideScopes:    true,
		ScopeExists:        exists,
	})
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	var problems config.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		fmt.Fprintf(stderr, "%d problem(s) found\n", len(problems))
		return exitError{code: 1}
	}
	if err != nil {
		return err
	}
	s := snap.Config.Summarize()
	_, err = fmt.Fprintf(stdout, "%d presubmits, %d postsubmits, %d periodics across %d repositories\n",
		s.Presubmits, s.Postsubmits, s.Periodics, s.Repositories)
	return err
}
