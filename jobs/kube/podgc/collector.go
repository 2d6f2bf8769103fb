package podgc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/kube/pods"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// listPage is how many pods one list request returns.
const listPage = 500

// Options configure a Collector.
type Options struct {
	// Clusters are the build clusters by alias.
	Clusters pods.Clusters
	// Jobs tells whether a pod's ProwJob still exists. A store that
	// answers from a cache must ask the API server for a job its cache
	// lacks (kube.Store does), or a job made a moment ago looks gone.
	Jobs jobs.Getter
	// Config gives the sinker section (max_pod_age, terminated_pod_ttl,
	// exclude_clusters) and pod_namespace, read at every Collect.
	Config config.Getter
	// Namespace, when set, is where the pods are listed instead of
	// pod_namespace.
	Namespace string
	// OrphanGrace overrides DefaultOrphanGrace when positive.
	OrphanGrace time.Duration
	// Logger logs each deletion (the standard logger when nil).
	Logger *logrus.Entry
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Validate checks that the options can make a collector.
func (o Options) Validate() error {
	switch {
	case len(o.Clusters) == 0:
		return errors.New("pod collector: no build clusters")
	case o.Jobs == nil:
		return errors.New("pod collector: no job store")
	case o.Config == nil:
		return errors.New("pod collector: no configuration")
	}
	return nil
}

// Collector deletes the pods Decide condemns in every build cluster.
type Collector struct {
	opts    Options
	clients map[string]kubernetes.Interface
	log     *logrus.Entry
}

// New makes a collector with a client per build cluster.
func New(o Options) (*Collector, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	c := &Collector{opts: o, clients: map[string]kubernetes.Interface{}, log: o.Logger}
	for alias, rc := range o.Clusters {
		rc = rest.CopyConfig(rc)
		if rc.QPS == 0 {
			rc.QPS, rc.Burst = pods.DefaultQPS, pods.DefaultBurst
		}
		if rc.UserAgent == "" {
			rc.UserAgent = "prow-pod-collector"
		}
		client, err := kubernetes.NewForConfig(rc)
		if err != nil {
			return nil, fmt.Errorf("make a client for build cluster %s: %w", alias, err)
		}
		c.clients[alias] = client
	}
	return c, nil
}

// Result counts the pods one Collect deleted, by reason.
type Result map[Reason]int

// Total is how many pods were deleted.
func (r Result) Total() int {
	n := 0
	for _, v := range r {
		n += v
	}
	return n
}

// Collect lists Prow's pods in every build cluster but the excluded ones
// and deletes those Decide condemns. A cluster it cannot reach does not
// stop the others; their errors are joined.
func (c *Collector) Collect(ctx context.Context) (Result, error) {
	cfg := c.opts.Config()
	limits := LimitsFrom(cfg)
	if c.opts.OrphanGrace > 0 {
		limits.OrphanGrace = c.opts.OrphanGrace
	}
	ns := c.opts.Namespace
	if ns == "" {
		ns = cfg.PodNamespace
	}
	result := Result{}
	var errs []error
	for _, alias := range c.opts.Clusters.Aliases() {
		if slices.Contains(cfg.Sinker.ExcludeClusters, alias) {
			continue
		}
		if err := c.collectCluster(ctx, alias, ns, limits, result); err != nil {
			errs = append(errs, err)
		}
	}
	if n := result.Total(); n > 0 {
		c.log.WithFields(logrus.Fields{"count": n, "aged": result[Aged], "ttled": result[TTLed], "orphaned": result[Orphaned]}).Info("Deleted old pods")
	}
	return result, errors.Join(errs...)
}

// collectCluster collects the pods of one build cluster, a page at a
// time, adding what it deleted to result.
func (c *Collector) collectCluster(ctx context.Context, alias, ns string, limits Limits, result Result) error {
	podsOf := c.clients[alias].CoreV1().Pods(ns)
	opts := metav1.ListOptions{LabelSelector: prowapi.CreatedByProw + "=true", Limit: listPage}
	var errs []error
	for {
		list, err := podsOf.List(ctx, opts)
		if err != nil {
			errs = append(errs, fmt.Errorf("list the pods of build cluster %s in namespace %s: %w", alias, ns, err))
			return errors.Join(errs...)
		}
		for i := range list.Items {
			reason, err := c.collectPod(ctx, alias, &list.Items[i], limits)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if reason != Keep {
				result[reason]++
			}
		}
		if list.Continue == "" {
			return errors.Join(errs...)
		}
		opts.Continue = list.Continue
	}
}

// collectPod decides about one pod and deletes it when it must go; it
// returns Keep when nothing was deleted.
func (c *Collector) collectPod(ctx context.Context, alias string, pod *corev1.Pod, limits Limits) (Reason, error) {
	name := JobName(pod)
	job, err := c.opts.Jobs.Get(ctx, name)
	switch {
	case errors.Is(err, jobs.ErrNotFound):
		job = nil
	case err != nil:
		return Keep, fmt.Errorf("look up the job of pod %s/%s in build cluster %s: %w", pod.Namespace, pod.Name, alias, err)
	}
	reason := Decide(Observation{Pod: pod, Job: job, Now: c.opts.Now(), Limits: limits})
	if reason == Keep {
		return Keep, nil
	}
	uid := pod.UID
	err = c.clients[alias].CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
	switch {
	case apierrors.IsNotFound(err), apierrors.IsConflict(err):
		return Keep, nil // gone already, or a newer pod has the name
	case err != nil:
		return Keep, fmt.Errorf("delete pod %s/%s in build cluster %s: %w", pod.Namespace, pod.Name, alias, err)
	}
	c.log.WithFields(logrus.Fields{"cluster": alias, "pod": pod.Namespace + "/" + pod.Name, "reason": string(reason),
		"job": pod.Annotations[prowapi.ProwJobAnnotation], "build": pod.Labels[prowapi.ProwBuildIDLabel]}).Info("Deleted pod")
	return reason, nil
}
