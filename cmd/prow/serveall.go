package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/hook"
	"github.com/prowbot/prow/jobs/gangway"
	"github.com/prowbot/prow/jobs/local"
	"github.com/prowbot/prow/jobs/sinker"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/storage"
	"github.com/prowbot/prow/tide"
)

// serveOptions are the flags of `prow serve`: hook's, plus where the
// embedded mode keeps its data.
type serveOptions struct {
	address        string
	port           int
	metricsPort    int
	gangwayPort    int
	gangwayAddress string
	externalURL    string
	cli.ConfigFlags
	dataDir          string
	s3Credentials    string
	hmacSecretFile   string
	workers          int
	controllers      int
	gracePeriod      time.Duration
	pluginTimeout    time.Duration
	resync           time.Duration
	periodicInterval time.Duration
	jobTimeout       time.Duration
	logLevel         string
	journalNoSync    bool
	journalSyncAck   bool
	limits           hook.Limits
	showHidden       bool
	runner           string
	sandboxNetwork   bool
	container        containerFlags
	deckAuth         deckAuth
	reporters        reporterFlags
	github           github.ClientOptions
}

func (o *serveOptions) Validate() error {
	if err := o.ConfigFlags.Validate(true); err != nil {
		return err
	}
	switch {
	case o.dataDir == "":
		return errors.New("--data-dir is required: job records, runs and artifacts are kept there")
	case o.port < 0 || o.port > 65535:
		return fmt.Errorf("--port %d is not a port", o.port)
	case o.workers <= 0 || o.controllers <= 0:
		return errors.New("--workers and --controller-workers must be at least 1")
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	if err := o.validateSecurity(); err != nil {
		return err
	}
	if err := o.deckAuth.Validate(); err != nil {
		return err
	}
	if err := o.reporters.Validate(); err != nil {
		return err
	}
	if err := checkS3Credentials(o.s3Credentials); err != nil {
		return err
	}
	return o.github.Validate()
}

func newServeCommand() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run every component in one process (the embedded mode)",
		Long: "serve runs hook and the plugins, the job controller with the local runner, the reporters,\n" +
			"the periodic scheduler, the sinker, tide and deck (the dashboard, at /) in one process. Job records are kept in SQLite under\n" +
			"--data-dir, jobs run on this host (in their image with podman, under bubblewrap, or as plain processes:\n" +
			"see --runner) and their logs and artifacts go to --data-dir/artifacts in Prow's layout.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	f.StringVar(&o.address, "address", "", "address to listen on (all interfaces when empty)")
	f.IntVar(&o.port, "port", 8888, "port of the webhook endpoint (/hook), /plugin-help, deck (/) and, without --metrics-port, /metrics")
	f.IntVar(&o.metricsPort, "metrics-port", 0, "serve /metrics on this port only, not on --port (as Prow's 9090); 0 keeps it on --port")
	f.IntVar(&o.gangwayPort, "gangway-port", 0, "serve the job API (Prow's gangway: /v1/executions) on this port (0: not at all); it trusts the API front's client headers, so reach it only through one")
	f.StringVar(&o.gangwayAddress, "gangway-address", "127.0.0.1", "address the job API listens on (loopback by default: put the authenticating front beside it)")
	f.StringVar(&o.externalURL, "external-url", "", "the address people reach this process at, for links in statuses (default http://<address or 127.0.0.1>:<port>)")
	o.ConfigFlags.AddFlags(f, true)
	f.StringVar(&o.dataDir, "data-dir", "", "directory of the job records, runs, artifacts and hook's journal")
	f.StringVar(&o.s3Credentials, "s3-credentials-file", "", s3CredentialsHelp+"; jobs whose gcs_configuration.bucket is s3://name upload there")
	f.StringVar(&o.hmacSecretFile, "hmac-secret-file", "/etc/webhook/hmac", "HMAC secret file: a raw token, or YAML mapping org/repo, org or * to tokens")
	f.IntVar(&o.workers, "workers", 16, "deliveries handled at once")
	o.limits.AddFlags(f)
	f.IntVar(&o.controllers, "controller-workers", 4, "jobs reconciled at once")
	f.DurationVar(&o.gracePeriod, "grace-period", 60*time.Second, "how long shutdown waits for deliveries being handled")
	f.DurationVar(&o.pluginTimeout, "plugin-timeout", 5*time.Minute, "how long one plugin may take on one event")
	f.DurationVar(&o.resync, "resync", time.Second, "how often waiting jobs are looked at; running jobs every tenth (the local runner tells when a run ends)")
	f.DurationVar(&o.periodicInterval, "periodic-interval", time.Minute, "how often periodics are checked")
	f.DurationVar(&o.jobTimeout, "default-job-timeout", 2*time.Hour, "timeout of jobs whose decoration sets none")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	f.BoolVar(&o.journalNoSync, "journal-no-fsync", false, "do not fsync hook's journal")
	f.BoolVar(&o.journalSyncAck, "journal-fsync-before-ack", false, "acknowledge a delivery only once fdatasync has it on disk (survives a machine crash; every acknowledgement waits for the disk)")
	f.BoolVar(&o.showHidden, "show-hidden", false, "deck shows hidden repos and jobs")
	f.StringVar(&o.runner, "runner", "", runnerHelp)
	f.BoolVar(&o.sandboxNetwork, "sandbox-network", true, "with --runner=sandbox or container, jobs may use the network")
	o.container.AddFlags(f)
	o.deckAuth.AddFlags(f)
	o.reporters.AddFlags(f)
	o.github.AddFlags(f)
	return cmd
}

// jobAPI is the job API's part when --gangway-port opened a listener;
// without one, configured API clients are warned about.
func (o *serveOptions) jobAPI(listeners *serveListeners, creator gangway.Store, agent *config.Agent, log *logrus.Entry) part {
	if listeners.gangway == nil {
		if len(agent.Config().Gangway.AllowedAPIClients) > 0 {
			log.Warn("gangway.allowed_api_clients is configured but the job API is off: serve it with --gangway-port")
		}
		return nil
	}
	return serveGangway(listeners.gangway, creator, agent.Getter(), log, o.gracePeriod)
}

func (o *serveOptions) run(ctx context.Context) error {
	log := newLogger(o.logLevel).WithField("component", "serve")
	// Every check first: nothing is written or started before they pass.
	listeners, err := o.preflight()
	if err != nil {
		return err
	}
	defer listeners.Close()
	load := o.ConfigFlags.Options()
	load.Unimplemented = prowUnimplemented
	agent, err := newPluginsAgent(load, log)
	if err != nil {
		return err
	}
	reg := newRegistry()
	o.github.Logger, o.github.Registerer = log, reg
	client, err := github.NewClient(o.github)
	if err != nil {
		return err
	}
	lock, err := lockDataDir(o.dataDir)
	if err != nil {
		return err
	}
	defer lock.Close()
	store, err := sqlite.Open(ctx, filepath.Join(o.dataDir, "jobs.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	opener := storage.NewOpenerWith(storage.Options{S3: storage.S3Options{CredentialsFile: o.s3Credentials}})
	defer opener.Close()
	log.WithField("runner", o.runner).Info("Jobs run with this runner")
	runner, err := local.New(local.Options{WorkDir: filepath.Join(o.dataDir, "runs"), Buckets: opener, Isolate: listeners.isolate, Container: listeners.containers,
		RemoteURL: cloneURL(o.github.Endpoint), Credentials: client.GitCredentials, Logger: log.WithField("component", "runner")})
	if err != nil {
		return err
	}
	defer runner.Close()
	creator := embeddedDefaults(store, o.dataDir, o.external(), o.jobTimeout)

	reporters, closeReporters, err := o.reporters.build()
	if err != nil {
		return err
	}
	defer closeReporters()
	loops, err := buildJobLoops(jobLoopOptions{store: store, runner: runner, periodics: creator, config: agent.Getter(), client: client,
		opener: opener, log: log, workers: o.controllers, resync: o.resync, periodicInterval: o.periodicInterval, reporters: reporters})
	if err != nil {
		return err
	}
	jobLoops := loops.parts()
	sink := &sinker.Sinker{Store: store, Runner: runner, Config: agent.Getter(), Logger: log.WithField("component", "sinker")}
	// hook and tide share one clone cache and one in-repo config cache.
	gitClient := &git.Client{CacheDir: filepath.Join(o.dataDir, "git"), RemoteURL: cloneURL(o.github.Endpoint), Credentials: client.GitCredentials}
	inRepo := inrepo.New(gitClient, 0)
	parts, err := buildHook(hookDeps{log: log.WithField("component", "hook"), agent: agent, client: client, registry: reg,
		endpoint: o.github.Endpoint, gitCacheDir: filepath.Join(o.dataDir, "git"), secretFile: o.hmacSecretFile,
		journalDir: filepath.Join(o.dataDir, "journal"), journalNoSync: o.journalNoSync, journalSyncAck: o.journalSyncAck, workers: o.workers,
		pluginTimeout: o.pluginTimeout, jobs: creator, configMaps: o.configFiles(), git: gitClient, inRepo: inRepo})
	if err != nil {
		return err
	}
	tideRun, tideJSON := newTide(tide.Options{GitHub: client, Jobs: creator, Config: agent.Getter(), Logger: log.WithField("component", "tide"),
		History: tide.BlobHistory(store), InRepo: inRepo})
	dash, err := o.deck(store, opener, agent, parts, runner, log, tideJSON)
	if err != nil {
		return err
	}
	defer dash.Close()

	// The components run until the HTTP server has drained.
	compCtx, stopComponents := context.WithCancel(context.Background())
	defer stopComponents()
	g := partGroup{log: log}
	background := func(name string, fn part) { g.start(compCtx, name, fn) }
	background("config", func(ctx context.Context) error { watchConfig(ctx, agent, log); return nil })
	for _, name := range mapkeys.Sorted(jobLoops) {
		background(name, jobLoops[name])
	}
	background("sinker", func(ctx context.Context) error { sink.Run(ctx); return nil })
	if gw := o.jobAPI(listeners, creator, agent, log); gw != nil {
		background("gangway", gw)
	}
	background("tide", tideRun)
	background("status-reconciler", statusReconcilerFor(agent, client, creator, log.WithField("component", "status-reconciler"), inRepo))
	parts.server.Run(compCtx)

	hooks := hook.Mux("/hook", parts.server, parts.dispatcher, reg)
	mux := http.NewServeMux()
	for _, p := range []string{"/hook", "/plugin-help", "/healthz", "/healthz/ready"} {
		mux.Handle(p, hooks)
	}
	if listeners.metrics != nil {
		background("metrics", func(ctx context.Context) error { serveMetrics(ctx, log, listeners.metrics, hooks); return nil })
	} else {
		mux.Handle("/metrics", hooks)
	}
	mux.Handle("/", dash.Handler())
	err = serveOn(ctx, log, listeners.main, mux, "Serving", o.gracePeriod, parts.server.Stop, o.limits)
	stopComponents()
	g.wait()
	return err
}

// external is the address people reach this process at.
func (o *serveOptions) external() string {
	if o.externalURL != "" {
		return o.externalURL
	}
	host := o.address
	if host == "" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(o.port))
}

// deck is the dashboard over the embedded store, the local artifacts,
// the local runner's live logs and tide's pools and history (deck serves
// /tide.js and /tide-history.js without the hidden repos).
func (o *serveOptions) deck(store *sqlite.Store, opener *storage.Opener, agent *config.Agent, parts *hookParts,
	runner *local.Runner, log *logrus.Entry, tideJSON http.Handler) (*deck.Server, error) {
	return buildDeck(deckBuildOptions{store: store, writable: store, opener: opener, config: agent.Getter(),
		localBucket: "file://" + filepath.Join(o.dataDir, "artifacts"), showHidden: o.showHidden,
		log:        log.WithField("component", "deck"),
		pluginHelp: func(context.Context) ([]byte, error) { return json.Marshal(parts.dispatcher.Help()) },
		liveLog:    func(_ context.Context, pj *prowapi.ProwJob) (io.ReadCloser, error) { return runner.OpenLog(pj) },
		tide:       deck.TideFromHandler(tideJSON),
		auth:       &o.deckAuth,
	})
}
