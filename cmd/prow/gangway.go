package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/gangway"
)

// gangwayOptions are the flags of `prow gangway`.
type gangwayOptions struct {
	cli.ConfigFlags
	address     string
	port        int
	metricsPort int
	healthPort  int
	logLevel    string
	gracePeriod time.Duration
	kube        kubeFlags
}

func (o *gangwayOptions) Validate() error {
	if err := o.ConfigFlags.Validate(false); err != nil {
		return err
	}
	if o.port <= 0 || o.port > 65535 {
		return fmt.Errorf("--port %d is not a port", o.port)
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	return nil
}

func newGangwayCommand() *cobra.Command {
	o := &gangwayOptions{}
	cmd := &cobra.Command{
		Use:   "gangway",
		Short: "Serve the job API: start configured jobs and report on them over HTTP",
		Long: "gangway serves Prow's job API (POST /v1/executions, GET /v1/executions/{id}, GET /v1/executions)\n" +
			"as JSON over HTTP, creating ProwJob resources. Clients are identified by the headers of the API\n" +
			"front (x-endpoint-api-consumer-type and -number) and authorized by gangway.allowed_api_clients\n" +
			"in config.yaml; reach it only through that front. Replicas need no leader.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	o.ConfigFlags.AddFlags(f, false)
	f.StringVar(&o.address, "address", "", "address to listen on (all interfaces when empty)")
	f.IntVar(&o.port, "port", 8080, "port of the job API")
	f.IntVar(&o.metricsPort, "metrics-port", 9090, "port of /metrics (0: none)")
	f.IntVar(&o.healthPort, "health-port", 8081, "port of /healthz and /healthz/ready (0: none)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	f.DurationVar(&o.gracePeriod, "grace-period", 30*time.Second, "how long shutdown waits for calls being answered")
	o.kube.AddFlags(f)
	return cmd
}

func (o *gangwayOptions) run(ctx context.Context) error {
	s, err := startCluster(ctx, "gangway", o.logLevel, o.ConfigFlags.Options(), &o.kube, nil)
	if err != nil {
		return err
	}
	store, _, err := o.kube.openKubeStore(ctx, s.agent.Config(), s.log)
	if err != nil {
		return err
	}
	opsServer(ctx, s.log, o.metricsPort, o.healthPort, s.reg, nil)
	api := &gangway.Server{Jobs: store, Config: s.agent.Getter(), Logger: s.log}
	return serveHTTP(ctx, s.log, o.address, o.port, api.Handler(), "Serving the job API", o.gracePeriod, nil)
}

// serveGangway is the job API of `prow serve` on ln, over its store.
func serveGangway(ln net.Listener, store gangway.Store, cfg config.Getter, log *logrus.Entry, grace time.Duration) func(context.Context) error {
	api := &gangway.Server{Jobs: store, Config: cfg, Logger: log.WithField("component", "gangway")}
	return func(ctx context.Context) error {
		return serveOn(ctx, log.WithField("component", "gangway"), ln, api.Handler(), "Serving the job API", grace, nil)
	}
}
