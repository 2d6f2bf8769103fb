package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/controller"
	"github.com/prowbot/prow/jobs/periodic"
	"github.com/prowbot/prow/jobs/report"
	"github.com/prowbot/prow/plugins/catalog"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/storage"
)

// The builders here are the one wiring of each component: `prow serve`
// and the component's own subcommand (`prow controller`, `prow deck`,
// `prow hook`, `prow tide`) call the same function, so the two ways to run
// cannot drift apart. Hook's builder is buildHook (hook.go), tide's is
// newTide (tide.go).

// part is a component that runs until ctx ends.
type part func(ctx context.Context) error

// partGroup runs parts in the background and logs the ones that stop
// before their context ends.
type partGroup struct {
	log *logrus.Entry
	wg  sync.WaitGroup
}

// start runs fn(ctx) in the background.
func (g *partGroup) start(ctx context.Context, name string, fn part) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			g.log.WithError(err).WithField("part", name).Error("Component stopped")
		}
	}()
}

// wait waits for every part started.
func (g *partGroup) wait() { g.wg.Wait() }

// newPluginsAgent is the configuration of a process that runs the
// plugins: plugins.yaml may name every plugin Prow knows, and those not
// implemented here are warned about.
func newPluginsAgent(o config.Options, log *logrus.Entry) (*config.Agent, error) {
	o.KnownPlugins = append(catalog.Names(), pluginconfig.DefaultKnownPlugins()...)
	o.ImplementedPlugins = catalog.Names()
	return config.NewAgent(o, log)
}

// jobLoopOptions are what the job controller, crier's reporters and the
// periodic scheduler are built from.
type jobLoopOptions struct {
	store  jobs.Store
	runner jobs.Runner
	// periodics is where the scheduler creates jobs (store when nil).
	periodics        periodic.Store
	config           config.Getter
	client           *github.Client
	opener           *storage.Opener
	log              *logrus.Entry
	workers          int
	resync           time.Duration
	periodicInterval time.Duration
	// reporters are the optional reporters (Slack, Pub/Sub), each run in
	// a report loop of its own.
	reporters []extraReporter
}

// jobLoops drive job records: the controller (plank) runs jobs, the
// report loops (crier, one per reporter or group of them) report them,
// and the periodic scheduler (horologium) starts periodics.
type jobLoops struct {
	controller *controller.Controller
	// crier are the report loops by the names their logs use.
	crier     map[string]*report.Loop
	periodics part
}

// parts are the loops as parts run by this process, by the names their
// logs use (the embedded mode).
func (j jobLoops) parts() map[string]part {
	parts := map[string]part{"controller": j.controller.Run, "periodics": j.periodics}
	for name, l := range j.crier {
		parts[name] = l.Run
	}
	return parts
}

// register puts the loops on a leader-elected manager: the controller
// as the reconciler "plank", each report loop as a reconciler of its
// name, the periodic scheduler as a runnable.
func (j jobLoops) register(m *managed) error {
	if err := j.controller.Register(m.mgr); err != nil {
		return err
	}
	for name, l := range j.crier {
		if err := l.Register(m.mgr, name); err != nil {
			return fmt.Errorf("register report loop %s: %w", name, err)
		}
	}
	return m.add("periodics", j.periodics)
}

// buildJobLoops builds the loops that drive job records.
func buildJobLoops(o jobLoopOptions) (jobLoops, error) {
	ctrl, err := controller.New(controller.Options{Store: o.store, Runner: o.runner, Config: o.config,
		Logger: o.log.WithField("component", "controller"), Workers: o.workers, Resync: o.resync})
	if err != nil {
		return jobLoops{}, err
	}
	loop, err := report.NewLoop(report.LoopOptions{Store: o.store, Config: o.config, Logger: o.log.WithField("component", "crier"),
		Reporters: []report.Reporter{githubReporter(o), report.NewStorage(o.opener)}})
	if err != nil {
		return jobLoops{}, err
	}
	periodics := o.periodics
	if periodics == nil {
		periodics = o.store
	}
	sched := &periodic.Scheduler{Store: periodics, Config: o.config, Logger: o.log.WithField("component", "periodics")}
	out := jobLoops{controller: ctrl, crier: map[string]*report.Loop{"crier": loop},
		periodics: func(ctx context.Context) error { sched.Run(ctx, o.periodicInterval); return nil }}
	for _, x := range o.reporters {
		l, err := report.NewLoop(report.LoopOptions{Store: o.store, Config: o.config, Logger: o.log.WithField("component", x.part),
			Reporters: []report.Reporter{x.reporter}, Workers: x.workers})
		if err != nil {
			return jobLoops{}, err
		}
		out.crier[x.part] = l
	}
	return out, nil
}

// githubReporter reports jobs as statuses or check runs
// (github_reporter.report_as; check runs by default for a GitHub App),
// reading failed tests from the jobs' artifacts.
func githubReporter(o jobLoopOptions) *report.GitHub {
	ro := report.GitHubOptions{Client: o.client, Jobs: o.store, App: o.client != nil && o.client.IsApp()}
	if o.opener != nil {
		ro.Buckets = o.opener
	}
	if cfg := o.config(); cfg != nil {
		if !ro.App && cfg.GitHubReporter.ReportAs == config.ReportAsCheckRuns {
			o.log.Warn("github_reporter.report_as is check-runs but the bot authenticates with a token: on github.com only a GitHub App may write check runs")
		}
	}
	return report.NewGitHubWith(ro)
}

// deckBuildOptions are what deck is built from.
type deckBuildOptions struct {
	store deckStore
	// writable is the store rerun and abort act on (none when nil).
	writable       jobs.Store
	opener         *storage.Opener
	config         config.Getter
	log            *logrus.Entry
	allowedBuckets []string
	localBucket    string
	showHidden     bool
	pluginHelp     deck.PluginHelpFunc
	tide           deck.TideFunc
	liveLog        deck.LiveLogFunc
	// podInfo reads a job's pod for the podinfo lens (cluster mode).
	podInfo deck.PodInfoFunc
	auth    *deckAuth
}

// buildDeck builds the dashboard.
func buildDeck(o deckBuildOptions) (*deck.Server, error) {
	opts := deck.Options{Lister: o.store, Getter: o.store, Storage: o.opener, Config: o.config, AllowedBuckets: o.allowedBuckets,
		LocalBucket: o.localBucket, ShowHidden: o.showHidden, Logger: o.log,
		PluginHelp: o.pluginHelp, Tide: o.tide, LiveLog: o.liveLog, PodInfo: o.podInfo}
	if err := o.auth.apply(&opts, o.writable); err != nil {
		return nil, err
	}
	return deck.New(opts)
}
