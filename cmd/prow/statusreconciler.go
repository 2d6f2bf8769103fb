package main

import (
	"context"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/plugins/catalog"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/statusreconciler"
)

// statusReconcilerOptions are the flags of `prow status-reconciler`.
type statusReconcilerOptions struct {
	githubComponentOptions
	pluginConfigPath string
}

func newStatusReconcilerCommand() *cobra.Command {
	o := &statusReconcilerOptions{}
	cmd := &cobra.Command{
		Use:   "status-reconciler",
		Short: "Bring open pull requests in line with a changed job configuration",
		Long: "status-reconciler follows the job configuration. When it changes, presubmits that became\n" +
			"blocking (new, reporting again, always run, other files) start (as ProwJobs) on the open pull\n" +
			"requests trigger trusts, and the pending or failed contexts of removed presubmits are retired\n" +
			"(set to success, saying so). Replicas elect a leader; only the leader works.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	o.addFlags(f, "prow-status-reconciler")
	f.StringVar(&o.pluginConfigPath, "plugin-config", "", "path to plugins.yaml (trigger's trusted orgs and apps)")
	return cmd
}

func (o *statusReconcilerOptions) run(ctx context.Context) error {
	s, m, err := o.start(ctx, "status-reconciler", config.Options{ConfigPath: o.ConfigPath, JobConfigPath: o.JobConfigPath,
		PluginConfigPath: o.pluginConfigPath, ImplementedPlugins: catalog.Names()}, &o.github, nil)
	if err != nil {
		return err
	}
	log, agent := s.log, s.agent
	follow := agent.Subscribe()
	gitClient := &git.Client{CacheDir: defaultGitCache(), RemoteURL: cloneURL(o.github.Endpoint), Credentials: s.client.GitCredentials}
	if err := m.add("status-reconciler", runStatusReconciler(agent, follow, s.client, m.store, log, inrepo.New(gitClient, 0))); err != nil {
		return err
	}
	return m.run(ctx)
}

// statusReconcilerFor is the status reconciler of `prow serve`: it
// follows agent's reloads from now on.
func statusReconcilerFor(agent *config.Agent, client *github.Client, store jobs.Creator, log *logrus.Entry, inRepo *inrepo.Getter) func(context.Context) error {
	return runStatusReconciler(agent, agent.Subscribe(), client, store, log, inRepo)
}

// runStatusReconciler reconciles the open pull requests after each
// reload events reports, from the configuration in force now on.
func runStatusReconciler(agent *config.Agent, events <-chan config.Event, client *github.Client, store jobs.Creator, log *logrus.Entry, inRepo *inrepo.Getter) func(context.Context) error {
	initial := agent.Config()
	r := &statusreconciler.Reconciler{GitHub: client, Jobs: store, Plugins: agent.PluginsGetter(), BotLogin: client.BotUser, Logger: log, InRepo: inRepo}
	return func(ctx context.Context) error {
		select {
		case <-agent.Watching():
		case <-ctx.Done():
			return nil
		}
		log.Info("Following job configuration changes")
		r.Run(ctx, initial, events)
		return nil
	}
}
