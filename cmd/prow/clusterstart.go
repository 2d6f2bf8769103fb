package main

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"
	"k8s.io/client-go/rest"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/prow/github"
)

// clusterStart is what a leader-elected component of the cluster mode
// (controller, sinker, tide) starts from: its logger, the configuration
// agent (watched until ctx ends), a metrics registry, the GitHub client
// when it talks to GitHub, and the API server's address.
type clusterStart struct {
	log    *logrus.Entry
	agent  *config.Agent
	reg    *prometheus.Registry
	client *github.Client // nil without GitHub options
	rc     *rest.Config
}

// startCluster loads the configuration and connects what component
// needs; gh is nil for a component that does not talk to GitHub.
func startCluster(ctx context.Context, component, logLevel string, cfg config.Options, kube *kubeFlags, gh *github.ClientOptions) (*clusterStart, error) {
	s := &clusterStart{log: newLogger(logLevel).WithField("component", component), reg: newRegistry()}
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
