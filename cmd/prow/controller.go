package main

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs/decorate"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/storage"
)

// clusterOptions are the flags `prow controller` and `prow sinker` share.
type clusterOptions struct {
	managedFlags
	buildClusters string
	utilityImage  string
	resync        time.Duration
}

// controllerOptions are the flags of `prow controller`.
type controllerOptions struct {
	clusterOptions
	workers          int
	periodicInterval time.Duration
	gcsCredentials   string
	gcsEndpoint      string
	reporters        reporterFlags
	s3Credentials    string
	github           github.ClientOptions
}

// Validate checks the flags, reading the S3 credentials file if one is
// given so that a bad one stops the start.
func (o *controllerOptions) Validate() error {
	if err := o.managedFlags.Validate(); err != nil {
		return err
	}
	return checkS3Credentials(o.s3Credentials)
}

func (o *clusterOptions) addFlags(cmd *cobra.Command, lease string) {
	f := cmd.Flags()
	o.managedFlags.addFlags(f, lease)
	f.StringVar(&o.buildClusters, "build-cluster-kubeconfig", "", "kubeconfig of the build clusters: each context is the cluster of that name (a job's cluster); \"default\" falls back to the ProwJobs' cluster")
	f.DurationVar(&o.resync, "resync", time.Second, "how often running jobs' pods are looked at")
}

// buildClusterSet is the build clusters: the kubeconfig's contexts, with
// the ProwJobs' cluster as "default" unless it names one.
func (o *clusterOptions) buildClusterSet(prowJobs *rest.Config) (pods.Clusters, error) {
	clusters := pods.Clusters{}
	if o.buildClusters != "" {
		var err error
		if clusters, err = pods.LoadClusters(o.buildClusters); err != nil {
			return nil, err
		}
	}
	if clusters[prowapi.DefaultClusterAlias] == nil {
		clusters[prowapi.DefaultClusterAlias] = prowJobs
	}
	return clusters, nil
}

// openRunner is the pod runner over the build clusters, making decorated
// pods; the manager runs the build clusters' pod caches.
func (o *clusterOptions) openRunner(ctx context.Context, m *managed, rc *rest.Config, agent *config.Agent, log *logrus.Entry) (*pods.Runner, error) {
	clusters, err := o.buildClusterSet(rc)
	if err != nil {
		return nil, err
	}
	image := o.utilityImage
	return pods.Open(ctx, pods.Options{Clusters: clusters, Jobs: m.store, Config: agent.Getter(), On: m.mgr,
		PodNamespace: agent.Config().PodNamespace, WatchNamespace: agent.Config().PodNamespace, Logger: log.WithField("component", "pods"),
		BuildPod: func(pj *prowapi.ProwJob) (*corev1.Pod, error) {
			if pj.Spec.DecorationConfig == nil {
				return pods.PlainPod(pj)
			}
			return decorate.ProwJobToPod(pj, decorate.Options{Image: image})
		}})
}

func newControllerCommand() *cobra.Command {
	o := &controllerOptions{}
	cmd := &cobra.Command{
		Use:   "controller",
		Short: "Drive ProwJobs on Kubernetes: decorated pods, reports, periodics",
		Long: "controller runs, as Prow's controller-manager and crier do, the job controller over ProwJob\n" +
			"resources with decorated pods in the build clusters, the GitHub and storage reporters (and the Slack\n" +
			"and Pub/Sub reporters when their flags turn them on) and the periodic scheduler. Replicas elect a\n" +
			"leader; only the leader works.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	o.addFlags(cmd, "prow-controller")
	f := cmd.Flags()
	f.StringVar(&o.utilityImage, "utility-image", "", "image of the prow binary for the pod utilities (the jobs' utility_images when empty)")
	f.IntVar(&o.workers, "workers", 20, "jobs reconciled at once (Prow: plank.max_goroutines)")
	f.DurationVar(&o.periodicInterval, "periodic-interval", time.Minute, "how often periodics are checked")
	f.StringVar(&o.gcsCredentials, "gcs-credentials-file", "", "GCS service account key for the storage reporter (Application Default Credentials when empty)")
	f.StringVar(&o.gcsEndpoint, "gcs-endpoint", "", "GCS emulator address (for tests)")
	o.reporters.AddFlags(f)
	f.StringVar(&o.s3Credentials, "s3-credentials-file", "", s3CredentialsHelp)
	o.github.AddFlags(f)
	return cmd
}

func (o *controllerOptions) run(ctx context.Context) error {
	if err := o.github.Validate(); err != nil {
		return err
	}
	if err := o.reporters.Validate(); err != nil {
		return err
	}
	s, m, err := o.start(ctx, "controller", o.Options(), &o.github, nil)
	if err != nil {
		return err
	}
	runner, err := o.openRunner(ctx, m, s.rc, s.agent, s.log)
	if err != nil {
		return err
	}
	opener := storage.NewOpenerWith(storage.Options{GCS: storage.GCSOptions{CredentialsFile: o.gcsCredentials, Endpoint: o.gcsEndpoint},
		S3: storage.S3Options{CredentialsFile: o.s3Credentials}})
	defer opener.Close()
	reporters, closeReporters, err := o.reporters.build()
	if err != nil {
		return err
	}
	defer closeReporters()
	loops, err := buildJobLoops(jobLoopOptions{store: m.store, runner: runner, config: s.agent.Getter(), client: s.client, opener: opener,
		log: s.log, workers: o.workers, resync: o.resync, periodicInterval: o.periodicInterval, reporters: reporters})
	if err != nil {
		return err
	}
	if err := loops.register(m); err != nil {
		return err
	}
	return m.run(ctx)
}
