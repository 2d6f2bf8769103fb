package main

import (
	"context"

	"github.com/sirupsen/logrus"
	"github.com/spf13/pflag"
	"k8s.io/client-go/rest"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

// clusterStart is what a component of the cluster mode (controller,
// sinker, tide, status-reconciler, gangway) starts from: its logger, the
// configuration agent (watched until ctx ends), a metrics registry
// (controller-runtime's, which the managed components' /metrics
// serves), the GitHub client when it talks to GitHub, and the API
// server's address.
type clusterStart struct {
	log    *logrus.Entry
	agent  *config.Agent
	reg    ctrlmetrics.RegistererGatherer
	client *github.Client // nil without GitHub options
	rc     *rest.Config
}

// startCluster loads the configuration and connects what component
// needs; gh is nil for a component that does not talk to GitHub.
func startCluster(ctx context.Context, component, logLevel string, cfg config.Options, kube *kubeFlags, gh *github.ClientOptions) (*clusterStart, error) {
	s := &clusterStart{log: newLogger(logLevel).WithField("component", component), reg: ctrlmetrics.Registry}
	agent, err := config.NewAgent(cfg, s.log)
	if err != nil {
		return nil, err
	}
	s.agent = agent
	go watchConfig(ctx, agent, s.log)
	if gh != nil {
		gh.Logger, gh.Registerer = s.log, s.reg
		if s.client, err = github.NewClient(*gh); err != nil {
			return nil, err
		}
	}
	if s.rc, err = kube.restConfig(); err != nil {
		return nil, err
	}
	return s, nil
}

// githubComponentOptions are the flags `prow tide` and `prow
// status-reconciler` share: leader-elected components that talk to
// GitHub.
type githubComponentOptions struct {
	managedFlags
	github github.ClientOptions
}

func (o *githubComponentOptions) Validate() error {
	if err := o.managedFlags.Validate(); err != nil {
		return err
	}
	return o.github.Validate()
}

// addFlags adds the shared flags to f; lease names the leader lease.
func (o *githubComponentOptions) addFlags(f *pflag.FlagSet, lease string) {
	o.managedFlags.addFlags(f, lease)
	o.github.AddFlags(f)
}
