package main

import (
	"context"
	"errors"
	"fmt"

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
	configPath    string
	jobConfigPath string
	metricsPort   int
	healthPort    int
	pprofPort     int
	logLevel      string
	kube          kubeFlags
	leader        leaderFlags
	github        github.ClientOptions
}

// managed are the manager's options from the flags.
func (o *githubComponentOptions) managed() managedOptions {
	return managedOptions{leader: o.leader, metricsPort: o.metricsPort, healthPort: o.healthPort, pprofPort: o.pprofPort}
}

func (o *githubComponentOptions) Validate() error {
	if o.configPath == "" {
		return errors.New("--config-path is required")
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	return o.github.Validate()
}

// addFlags adds the shared flags to f; lease names the leader lease.
func (o *githubComponentOptions) addFlags(f *pflag.FlagSet, lease string) {
	f.StringVar(&o.configPath, "config-path", "", "path to config.yaml")
	f.StringVar(&o.jobConfigPath, "job-config-path", "", "path to a job config file or a directory of them")
	f.IntVar(&o.metricsPort, "metrics-port", 9090, "port of /metrics (0: none)")
	f.IntVar(&o.healthPort, "health-port", 8081, "port of /healthz and /healthz/ready (0: none)")
	f.IntVar(&o.pprofPort, "pprof-port", 0, "serve Go's profiling endpoints (/debug/pprof/) on 127.0.0.1 at this port (0: off)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	o.kube.AddFlags(f)
	o.leader.AddFlags(f, lease)
	o.github.AddFlags(f)
}
