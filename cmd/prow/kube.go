package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sirupsen/logrus"
	"github.com/spf13/pflag"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/kube"
)

// kubeFlags say where the ProwJobs live: a kubeconfig (and context), or,
// without one, the cluster this process runs in.
type kubeFlags struct {
	kubeconfig string
	context    string
}

func (k *kubeFlags) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&k.kubeconfig, "kubeconfig", "", "kubeconfig of the cluster holding the ProwJobs (in-cluster config when empty)")
	f.StringVar(&k.context, "kubeconfig-context", "", "context of --kubeconfig to use (its current context when empty)")
}

// restConfig is the API server configuration the flags name.
func (k *kubeFlags) restConfig() (*rest.Config, error) {
	if k.kubeconfig == "" && k.context == "" {
		if cfg, err := rest.InClusterConfig(); err == nil {
			return cfg, nil
		}
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = k.kubeconfig
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules,
		&clientcmd.ConfigOverrides{CurrentContext: k.context}).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("no Kubernetes API server (not in a cluster; --kubeconfig %q): %w", k.kubeconfig, err)
	}
	return cfg, nil
}

// openKubeStore opens the ProwJob store in prowjob_namespace.
func (k *kubeFlags) openKubeStore(ctx context.Context, cfg *config.Config, log *logrus.Entry) (*kube.Store, *rest.Config, error) {
	rc, err := k.restConfig()
	if err != nil {
		return nil, nil, err
	}
	store, err := kube.Open(ctx, kube.Options{Config: rc, Namespace: cfg.ProwJobNamespace, Logger: log.WithField("component", "prowjobs")})
	if err != nil {
		return nil, nil, err
	}
	return store, rc, nil
}

// leaderFlags configure leader election among replicas.
type leaderFlags struct {
	enabled   bool
	namespace string
	lease     string
}

func (l *leaderFlags) AddFlags(f *pflag.FlagSet, lease string) {
	f.BoolVar(&l.enabled, "leader-elect", true, "run only while holding the leader lease (replicas wait)")
	f.StringVar(&l.namespace, "leader-elect-namespace", "", "namespace of the lease (prowjob_namespace when empty)")
	f.StringVar(&l.lease, "leader-elect-lease", lease, "name of the lease")
}

// opsServer serves /metrics on one port and the health endpoints on
// another, as cluster components do.
func opsServer(ctx context.Context, log *logrus.Entry, metricsPort, healthPort int, reg prometheus.Gatherer, ready func() bool) {
	ok := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }
	health := http.NewServeMux()
	health.HandleFunc("/healthz", ok)
	health.HandleFunc("/healthz/ready", func(w http.ResponseWriter, r *http.Request) {
		if ready != nil && !ready() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		ok(w, r)
	})
	metrics := http.NewServeMux()
	metrics.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	for port, h := range map[int]http.Handler{metricsPort: metrics, healthPort: health} {
		if port <= 0 {
			continue
		}
		go func() {
			if err := serveHTTP(ctx, log, "", port, h, "Serving operations endpoints", 5*time.Second, nil); err != nil && ctx.Err() == nil {
				log.WithError(err).Error("Operations endpoint stopped")
			}
		}()
	}
}
