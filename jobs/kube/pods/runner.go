package pods

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// Prow's defaults for the plank settings the runner reads, for a
// configuration that leaves them out.
const (
	DefaultMaxRevivals        = 3
	DefaultUnscheduledTimeout = 5 * time.Minute
)

// Jobs is what the runner needs of the job store: it records on a job
// that its pod was made (status.pod_name) and each revival
// (status.pod_revival_count), as Prow's plank does.
type Jobs interface {
	jobs.Getter
	jobs.Updater
}

// Options configure a Runner.
type Options struct {
	// Clusters are the build clusters by alias; "default" is required.
	Clusters Clusters
	// Jobs is the job store the runner records pods and revivals in.
	Jobs Jobs
	// BuildPod makes a job's pod (PlainPod when nil).
	BuildPod BuildPod
	// Config gives plank.max_revivals and plank.pod_unscheduled_timeout
	// (Prow's defaults when nil or unset).
	Config config.Getter
	// PodNamespace is the namespace of the pods of jobs whose spec names
	// none (pod_namespace; "default" when empty).
	PodNamespace string
	// WatchNamespace limits the pod caches to one namespace; empty
	// watches every namespace.
	WatchNamespace string
	// Logger logs revivals and watch errors (the standard logger when
	// nil).
	Logger *logrus.Entry
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// On runs the build clusters' pod caches: a controller-runtime
	// manager. When nil, Open runs them until its context ends.
	On Runnables
}

// Validate checks that the options can make a runner.
func (o Options) Validate() error {
	if o.Clusters[prowapi.DefaultClusterAlias] == nil {
		return errors.New("pod runner: no default build cluster")
	}
	if o.Jobs == nil {
		return errors.New("pod runner: no job store")
	}
	return nil
}

// Runner runs jobs as pods in build clusters. It implements jobs.Runner.
type Runner struct {
	opts     Options
	clusters map[string]*cluster
	log      *logrus.Entry
	// notify is called with a job's name when its pod changes.
	notify atomic.Pointer[func(string)]
}

var (
	_ jobs.StartingRunner = (*Runner)(nil)
	_ jobs.RunNotifier    = (*Runner)(nil)
)

// NotifyRunChanges implements jobs.RunNotifier: f is called with the
// job's name whenever the cache sees its pod change.
func (r *Runner) NotifyRunChanges(f func(name string)) { r.notify.Store(&f) }

// changed tells the registered function of a pod's change; pods are
// named after their jobs.
func (r *Runner) changed(name string) {
	if f := r.notify.Load(); f != nil {
		(*f)(name)
	}
}

// Open makes a runner with a cache of Prow's pods in each build
// cluster; the caches run with o.On, or else until ctx ends. A cluster's cache is waited
// for when a job first needs it, so a cluster that is down holds up only
// its own jobs.
func Open(ctx context.Context, o Options) (*Runner, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.BuildPod == nil {
		o.BuildPod = PlainPod
	}
	if o.PodNamespace == "" {
		o.PodNamespace = "default"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	r := &Runner{opts: o, clusters: map[string]*cluster{}, log: o.Logger}
	for _, alias := range o.Clusters.Aliases() {
		c, err := newCluster(ctx, alias, o.Clusters[alias], o.WatchNamespace, o.Logger, o.On, r.changed)
		if err != nil {
			return nil, err
		}
		r.clusters[alias] = c
	}
	return r, nil
}

// where is the build cluster and namespace of a job's pod; the cluster
// is nil when the job names one the runner does not know.
func (r *Runner) where(pj *prowapi.ProwJob) (*cluster, string) {
	alias := pj.Spec.Cluster
	if alias == "" {
		alias = prowapi.DefaultClusterAlias
	}
	ns := pj.Spec.Namespace
	if ns == "" {
		ns = r.opts.PodNamespace
	}
	return r.clusters[alias], ns
}

// Start implements jobs.Runner with StartRun.
func (r *Runner) Start(ctx context.Context, pj *prowapi.ProwJob) error {
	_, err := r.StartRun(ctx, pj)
	return err
}

// StartRun implements jobs.StartingRunner: it creates the job's pod,
// named after the job, unless it exists, in which case the pod's build
// ID (label prow.k8s.io/build-id) is the run's. Status records the pod
// on a job that lacks it, off the path from trigger to pod.
func (r *Runner) StartRun(ctx context.Context, pj *prowapi.ProwJob) (jobs.StartedRun, error) {
	c, ns := r.where(pj)
	if c == nil {
		return jobs.StartedRun{}, fmt.Errorf("job %s names build cluster %q, which is not configured", pj.Name, pj.Spec.Cluster)
	}
	pod, err := r.opts.BuildPod(pj)
	if err != nil {
		return jobs.StartedRun{}, fmt.Errorf("build the pod of job %s: %w", pj.Name, err)
	}
	pod.Name, pod.Namespace = pj.Name, ns
	if pod.Labels == nil {
		pod.Labels = map[string]string{}
	}
	for k, v := range Labels(pj) {
		if _, ok := pod.Labels[k]; !ok || k == prowapi.CreatedByProw {
			pod.Labels[k] = v
		}
	}
	existing, err := c.create(ctx, pod)
	switch {
	case apierrors.IsInvalid(err) || apierrors.IsBadRequest(err):
		return jobs.StartedRun{}, fmt.Errorf("pod can not be created: build cluster %s rejects pod %s/%s: %w", c.alias, ns, pod.Name, err)
	case err != nil:
		return jobs.StartedRun{}, fmt.Errorf("create pod %s/%s in build cluster %s: %w", ns, pod.Name, c.alias, err)
	}
	run := jobs.StartedRun{Name: pod.Name, BuildID: pj.Status.BuildID}
	if existing != nil && existing.Labels[prowapi.ProwBuildIDLabel] != "" {
		run.BuildID = existing.Labels[prowapi.ProwBuildIDLabel]
	}
	return run, nil
}

// recordPod writes the pod's name on the job, so that a pod that then
// disappears is known to have been deleted. A job that lacks it has its
// pod made again when the pod disappears, and the next status records
// it, so a failure is only logged.
func (r *Runner) recordPod(ctx context.Context, pj *prowapi.ProwJob) {
	err := r.modify(ctx, pj, func(st *prowapi.ProwJobStatus) bool {
		if st.PodName == pj.Name {
			return false
		}
		st.PodName = pj.Name
		return true
	})
	if err != nil {
		r.log.WithError(err).WithFields(logrus.Fields{"job": pj.Spec.Job, "build": pj.Status.BuildID}).Warn("Could not record the pod on its job")
	}
}

// modify changes the job's status with change (false: nothing to
// change), reading the job again on a conflict.
func (r *Runner) modify(ctx context.Context, pj *prowapi.ProwJob, change func(*prowapi.ProwJobStatus) bool) error {
	cur := pj.DeepCopy()
	for range 5 {
		if !change(&cur.Status) {
			return nil
		}
		_, err := r.opts.Jobs.Update(ctx, cur)
		if !errors.Is(err, jobs.ErrConflict) {
			return err
		}
		if cur, err = r.opts.Jobs.Get(ctx, pj.Name); err != nil {
			return err
		}
	}
	return fmt.Errorf("update job %s: %w five times", pj.Name, jobs.ErrConflict)
}

// Status implements jobs.Runner with Assess. It records a pod it sees
// for the first time on the job (status.pod_name). It revives a pod that
// stopped unexpectedly: the revival is recorded on the job, then the pod
// is deleted, and the run is Unknown once it is gone, so the controller
// starts it again.
func (r *Runner) Status(ctx context.Context, pj *prowapi.ProwJob) (jobs.RunStatus, error) {
	c, ns := r.where(pj)
	if c == nil {
		if pj.Status.PodName == "" {
			return jobs.RunStatus{Phase: jobs.RunUnknown}, nil // Start says why it cannot
		}
		return jobs.RunStatus{Phase: jobs.RunError, Message: fmt.Sprintf("Build cluster %q is not configured.", pj.Spec.Cluster)}, nil
	}
	pod, err := c.pod(ctx, ns, pj.Name)
	if err != nil {
		return jobs.RunStatus{}, err
	}
	maxRevivals, unscheduled := r.plank()
	a := Assess(Observation{Job: pj, Pod: pod, Now: r.opts.Now(), MaxRevivals: maxRevivals, UnscheduledTimeout: unscheduled})
	switch a.Action {
	case Record:
		r.recordPod(ctx, pj)
	case Revive:
		log := r.log.WithFields(logrus.Fields{"job": pj.Spec.Job, "build": pj.Status.BuildID, "cause": a.Cause})
		err := r.modify(ctx, pj, func(st *prowapi.ProwJobStatus) bool {
			if st.PodName == "" && st.PodRevivalCount > 0 {
				return false // recorded already
			}
			st.PodName = ""
			st.PodRevivalCount++
			return true
		})
		if err != nil {
			return jobs.RunStatus{}, fmt.Errorf("record the revival of job %s: %w", pj.Name, err)
		}
		log.WithField("revivals", pj.Status.PodRevivalCount+1).Info("Reviving the job's pod")
		fallthrough
	case Remove:
		if err := c.remove(ctx, ns, pj.Name, pod.UID, true); err != nil {
			return jobs.RunStatus{}, err
		}
	}
	return a.Run, nil
}

// plank reads the runner's settings from the configuration.
func (r *Runner) plank() (maxRevivals int, unscheduled time.Duration) {
	maxRevivals, unscheduled = DefaultMaxRevivals, DefaultUnscheduledTimeout
	if r.opts.Config == nil {
		return maxRevivals, unscheduled
	}
	p := r.opts.Config().Plank
	if p.MaxRevivals != nil {
		maxRevivals = *p.MaxRevivals
	}
	if p.PodUnscheduledTimeout != nil {
		unscheduled = p.PodUnscheduledTimeout.Duration
	}
	return maxRevivals, unscheduled
}

// Stop implements jobs.Runner: it deletes the job's pod.
func (r *Runner) Stop(ctx context.Context, pj *prowapi.ProwJob) error {
	c, ns := r.where(pj)
	if c == nil {
		return nil // never started
	}
	return c.remove(ctx, ns, pj.Name, "", false)
}
