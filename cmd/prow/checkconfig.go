package main

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/cmd/internal/checkconfig"
	"github.com/prowbot/prow/prow/github"
)

// newCheckconfigCommand is `prow checkconfig` (cmd/internal/checkconfig),
// with the GitHub client that --github-endpoint needs: the lean front
// binary hands a check with that flag over to this one.
func newCheckconfigCommand() *cobra.Command {
	return checkconfig.NewCommand(checkconfig.Deps{
		Lookup: scopeExists,
		Exit:   func(code int) error { return exitError{code: code} },
	})
}

// scopeExists looks orgs and repos up on GitHub.
func scopeExists(f checkconfig.GitHubFlags) (func(org, repo string) (bool, error), error) {
	opts := github.ClientOptions{
		Endpoint:          f.Endpoint,
		TokenPath:         f.TokenPath,
		AppID:             f.AppID,
		AppPrivateKeyPath: f.AppPrivateKeyPath,
		Logger:            logrus.NewEntry(logrus.StandardLogger()),
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
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
