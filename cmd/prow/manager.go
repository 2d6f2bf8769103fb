package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/pflag"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/kube"
	"github.com/prowbot/prow/prow/github"
)

// The leader lease's timing, as Prow's components use it.
const (
	leaseDuration = 15 * time.Second
	renewDeadline = 10 * time.Second
	retryPeriod   = 2 * time.Second
)

// managedFlags are the flags every leader-elected component of the
// cluster mode has: where its configuration and the ProwJobs are, the
// leader lease, the operations ports and the log level.
type managedFlags struct {
	cli.ConfigFlags
	metricsPort int
	healthPort  int
	pprofPort   int
	logLevel    string
	kube        kubeFlags
	leader      leaderFlags
}

// addFlags adds the flags to f; lease names the leader lease.
func (o *managedFlags) addFlags(f *pflag.FlagSet, lease string) {
	o.ConfigFlags.AddFlags(f, false)
	f.IntVar(&o.metricsPort, "metrics-port", 9090, "port of /metrics (0: none)")
	f.IntVar(&o.healthPort, "health-port", 8081, "port of /healthz and /healthz/ready (0: none)")
	f.IntVar(&o.pprofPort, "pprof-port", 0, "serve Go's profiling endpoints (/debug/pprof/) on 127.0.0.1 at this port (0: off)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	o.kube.AddFlags(f)
	o.leader.AddFlags(f, lease)
}

// Validate refuses a missing --config-path and an unknown log level.
func (o *managedFlags) Validate() error {
	if err := o.ConfigFlags.Validate(false); err != nil {
		return err
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	return nil
}

// start loads the configuration cfg names, connects what the component
// needs (GitHub when gh is set) and makes its manager; ready, when set,
// must hold too for the component to be ready.
func (o *managedFlags) start(ctx context.Context, component string, cfg config.Options, gh *github.ClientOptions, ready func() bool) (*clusterStart, *managed, error) {
	s, err := startCluster(ctx, component, o.logLevel, cfg, &o.kube, gh)
	if err != nil {
		return nil, nil, err
	}
	m, err := newManaged(ctx, s, o, ready)
	if err != nil {
		return nil, nil, err
	}
	return s, m, nil
}

// managed is a leader-elected component of the cluster mode on a
// controller-runtime manager. The manager holds the ProwJob cache (the
// store reads it) and the build clusters' pod caches, and keeps them
// synced on every replica; it elects the leader, and starts the
// component's reconciler and loops only while this replica leads; it
// serves /metrics from controller-runtime's registry (the component's
// own metrics are there too), /healthz and /healthz/ready, ready once
// the caches have synced, and, when asked, Go's profiling endpoints.
type managed struct {
	mgr   manager.Manager
	store *kube.Store
	log   *logrus.Entry
	flags *managedFlags
	// ready, when set, must hold too for /healthz/ready to answer 200.
	ready func() bool
}

// newManaged makes the manager of a component started as s, with the
// leader lease and operations ports the flags name.
func newManaged(ctx context.Context, s *clusterStart, o *managedFlags, ready func() bool) (*managed, error) {
	ns := s.agent.Config().ProwJobNamespace
	storeOpts := kube.Options{Config: s.rc, Namespace: ns, Logger: s.log.WithField("component", "prowjobs")}
	cfg, mo, err := kube.ManagerOptions(storeOpts)
	if err != nil {
		return nil, err
	}
	mo.Metrics = metricsserver.Options{BindAddress: "0"}
	if o.metricsPort > 0 {
		mo.Metrics.BindAddress = ":" + strconv.Itoa(o.metricsPort)
	}
	if o.healthPort > 0 {
		mo.HealthProbeBindAddress = ":" + strconv.Itoa(o.healthPort)
		mo.LivenessEndpointName, mo.ReadinessEndpointName = "/healthz", "/healthz/ready"
	}
	if o.pprofPort > 0 {
		mo.PprofBindAddress = "127.0.0.1:" + strconv.Itoa(o.pprofPort)
	}
	lease, renew, retry := leaseDuration, renewDeadline, retryPeriod
	mo.LeaderElection = o.leader.enabled
	mo.LeaderElectionID = o.leader.lease
	mo.LeaderElectionNamespace = ns
	if o.leader.namespace != "" {
		mo.LeaderElectionNamespace = o.leader.namespace
	}
	mo.LeaderElectionResourceLock = resourcelock.LeasesResourceLock
	mo.LeaderElectionReleaseOnCancel = true
	mo.LeaseDuration, mo.RenewDeadline, mo.RetryPeriod = &lease, &renew, &retry
	mgr, err := manager.New(cfg, mo)
	if err != nil {
		return nil, fmt.Errorf("set up the controller manager: %w", err)
	}
	store, err := kube.OnManager(ctx, mgr, storeOpts)
	if err != nil {
		return nil, err
	}
	m := &managed{mgr: mgr, store: store, log: s.log, flags: o, ready: ready}
	if err := mgr.AddHealthzCheck("ping", healthz.Ping); err != nil {
		return nil, err
	}
	if err := mgr.AddReadyzCheck("ready", m.readyCheck); err != nil {
		return nil, err
	}
	return m, nil
}

// readyCheck is /healthz/ready: the caches have synced and the
// component's own readiness holds.
func (m *managed) readyCheck(r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 50*time.Millisecond)
	defer cancel()
	if !m.mgr.GetCache().WaitForCacheSync(ctx) {
		return errors.New("the ProwJob cache has not synced")
	}
	if m.ready != nil && !m.ready() {
		return errors.New("not ready")
	}
	return nil
}

// add runs fn while this replica leads; an error is logged, and the
// other parts go on.
func (m *managed) add(name string, fn part) error {
	return m.mgr.Add(manager.RunnableFunc(func(ctx context.Context) error {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			m.log.WithError(err).WithField("part", name).Error("Component stopped")
		}
		return nil
	}))
}

// run runs the manager until ctx ends or the lease is lost.
func (m *managed) run(ctx context.Context) error {
	if err := m.mgr.Add(announcer{m}); err != nil {
		return err
	}
	if m.flags.leader.enabled {
		m.log.WithField("lease", m.flags.leader.lease).Info("Waiting for the leader lease")
		go func() {
			select {
			case <-m.mgr.Elected():
				m.log.Info("Leading")
			case <-ctx.Done():
			}
		}()
	}
	if err := m.mgr.Start(ctx); err != nil {
		return fmt.Errorf("%w: exiting so a fresh process can compete for the lease", err)
	}
	return nil
}

// announcer logs once the health endpoints answer, on every replica.
type announcer struct{ m *managed }

// NeedLeaderElection implements manager.LeaderElectionRunnable.
func (announcer) NeedLeaderElection() bool { return false }

// Start implements manager.Runnable.
func (a announcer) Start(ctx context.Context) error {
	port := a.m.flags.healthPort
	if port <= 0 {
		return nil
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/healthz"
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(url); err == nil { //nolint:gosec,noctx // the process's own endpoint
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				a.m.log.WithFields(logrus.Fields{"health": port, "metrics": a.m.flags.metricsPort}).Info("Serving operations endpoints")
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
