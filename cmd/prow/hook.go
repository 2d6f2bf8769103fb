package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/hook"
	"github.com/prowbot/prow/hook/journal"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/catalog"
	"github.com/prowbot/prow/plugins/configupdater"
	"github.com/prowbot/prow/plugins/trigger"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/owners"
)

// hookOptions are the flags of `prow hook`, named as Prow's where Prow has
// them.
type hookOptions struct {
	port           int
	address        string
	webhookPath    string
	hmacSecretFile string
	cli.ConfigFlags
	journalDir     string
	journalNoSync  bool
	journalSyncAck bool
	workers        int
	backlogWarning int
	pprofPort      int
	limits         hook.Limits
	gracePeriod    time.Duration
	shutdownDelay  time.Duration
	drainJournal   bool
	replicated     bool
	pluginTimeout  time.Duration
	logLevel       string
	gitCacheDir    string
	jobStore       string
	kube           kubeFlags
	github         github.ClientOptions
}

func (o *hookOptions) Validate() error {
	if o.jobStore != "" && o.jobStore != "none" && o.jobStore != "kubernetes" {
		return fmt.Errorf("--job-store %q: want kubernetes or none", o.jobStore)
	}
	if err := o.ConfigFlags.Validate(true); err != nil {
		return err
	}
	switch {
	case o.port < 0 || o.port > 65535:
		return fmt.Errorf("--port %d is not a port", o.port)
	case o.workers <= 0:
		return errors.New("--workers must be at least 1")
	case o.limits.MaxConnections < 0:
		return errors.New("--max-connections must be 0 (no cap) or more")
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	if o.hasGitHub() {
		return o.github.Validate()
	}
	return nil
}

// hasGitHub is true when GitHub credentials were given. Without them hook
// still journals deliveries and forwards them to external plugins.
func (o *hookOptions) hasGitHub() bool {
	return o.github.TokenPath != "" || o.github.AppID != 0 || o.github.AppPrivateKeyPath != ""
}

func newHookCommand() *cobra.Command {
	o := &hookOptions{}
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Receive GitHub webhooks and run the plugins",
		Long: "hook serves POST /hook with Prow's contract, records every delivery in a journal before\n" +
			"acknowledging it, and hands it to the plugins enabled for its repository. Deliveries\n" +
			"acknowledged but not handled when the process stopped are handled after a restart.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	f.IntVar(&o.port, "port", 8888, "port to listen on")
	f.StringVar(&o.address, "address", "", "address to listen on (all interfaces when empty)")
	f.StringVar(&o.webhookPath, "webhook-path", "/hook", "path of the webhook endpoint")
	f.StringVar(&o.hmacSecretFile, "hmac-secret-file", "/etc/webhook/hmac", "HMAC secret file: a raw token, or YAML mapping org/repo, org or * to tokens")
	o.ConfigFlags.AddFlags(f, true)
	f.StringVar(&o.journalDir, "journal-dir", "", "directory of the delivery journal (default "+defaultJournalHelp+")")
	f.BoolVar(&o.journalNoSync, "journal-no-fsync", false, "never fsync the journal (acknowledged deliveries survive a killed process, not a machine crash)")
	f.BoolVar(&o.journalSyncAck, "journal-fsync-before-ack", false, "acknowledge a delivery only once fdatasync has it on disk, so it survives a machine crash too (every acknowledgement then waits for the disk)")
	f.IntVar(&o.workers, "workers", 16, "deliveries handled at once")
	f.IntVar(&o.backlogWarning, "backlog-warning", 10000, "log a warning while more deliveries than this wait in the journal for a worker (negative: never)")
	o.limits.AddFlags(f)
	f.IntVar(&o.pprofPort, "pprof-port", 0, "serve Go's profiling endpoints (/debug/pprof/) on 127.0.0.1 at this port (0: off)")
	f.DurationVar(&o.gracePeriod, "grace-period", 180*time.Second, "how long shutdown waits for deliveries being handled")
	f.DurationVar(&o.shutdownDelay, "shutdown-delay", 0, "on SIGTERM, how long to go on accepting deliveries while /healthz/ready says no, so that a load balancer moves new ones to other replicas first")
	f.BoolVar(&o.replicated, "replicated", false, "several hook replicas share the webhook: a delivery may reach more than one (a retry, a redelivery), so plugins check for its effects before making them")
	f.BoolVar(&o.drainJournal, "drain-journal", false, "handle the deliveries left in --journal-dir, then exit without listening (to hand a removed replica's journal over)")
	f.DurationVar(&o.pluginTimeout, "plugin-timeout", 5*time.Minute, "how long one plugin may take on one event")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	f.StringVar(&o.gitCacheDir, "git-cache-dir", defaultGitCache(), "where repositories are cloned to read OWNERS files")
	f.StringVar(&o.jobStore, "job-store", "none", "where trigger creates jobs: kubernetes (ProwJobs in prowjob_namespace) or none")
	o.kube.AddFlags(f)
	o.github.AddFlags(f)
	return cmd
}

func (o *hookOptions) run(ctx context.Context) error {
	log := newLogger(o.logLevel).WithField("component", "hook")
	if o.journalDir == "" {
		o.journalDir = defaultJournalDir()
		log.WithField("journal_dir", o.journalDir).Info("Journal in its default directory (--journal-dir to choose)")
	}
	agent, err := newPluginsAgent(o.ConfigFlags.Options(), log)
	if err != nil {
		return err
	}
	go watchConfig(ctx, agent, log)
	servePprof(ctx, log, o.pprofPort)
	reg := newRegistry()
	var client *github.Client
	if o.hasGitHub() {
		o.github.Logger, o.github.Registerer = log, reg
		if client, err = github.NewClient(o.github); err != nil {
			return err
		}
	} else {
		log.Warn("No GitHub credentials: deliveries are journaled and forwarded to external plugins only")
	}
	deps := hookDeps{log: log, agent: agent, client: client, registry: reg, endpoint: o.github.Endpoint,
		gitCacheDir: o.gitCacheDir, secretFile: o.hmacSecretFile, journalDir: o.journalDir, journalNoSync: o.journalNoSync, journalSyncAck: o.journalSyncAck,
		workers: o.workers, backlogWarning: o.backlogWarning, pluginTimeout: o.pluginTimeout,
		configMaps: &configupdater.KubeMaps{Connect: o.kube.configMapClients}, sharedDeliveries: o.replicated}
	switch o.jobStore {
	case "kubernetes":
		store, _, err := o.kube.openKubeStore(ctx, agent.Config(), log)
		if err != nil {
			return err
		}
		deps.jobs = store
	default:
		log.Warn("No job store (--job-store): trigger and the other plugins that start jobs say so instead")
	}
	parts, err := buildHook(deps)
	if err != nil {
		return err
	}
	// Handling goes on during shutdown until the grace period ends.
	workCtx, cancelWork := context.WithCancel(context.Background())
	defer cancelWork()
	parts.server.Run(workCtx)
	if o.drainJournal {
		return drainJournal(ctx, log, parts.server, o.gracePeriod)
	}
	return serveHTTP(delayStop(ctx, log, parts.server, o.shutdownDelay), log, o.address, o.port,
		hook.Mux(o.webhookPath, parts.server, parts.dispatcher, reg), "Hook listening", o.gracePeriod, parts.server.Stop, o.limits)
}

// delayStop is ctx, but it ends delay after ctx does: in between the
// server reports it is not ready and still takes deliveries, so none
// arriving while the load balancer catches up is refused.
func delayStop(ctx context.Context, log *logrus.Entry, srv *hook.Server, delay time.Duration) context.Context {
	serving, stop := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		<-ctx.Done()
		srv.BeginDrain()
		if delay > 0 {
			log.WithField("delay", delay.String()).Info("Stopping: not ready, still taking deliveries for the shutdown delay")
			time.Sleep(delay)
		}
		stop()
	}()
	return serving
}

// drainJournal handles what the journal held at start and stops: the
// deliveries a replica removed for good had acknowledged and not handled.
func drainJournal(ctx context.Context, log *logrus.Entry, srv *hook.Server, grace time.Duration) error {
	log.Info("Handling the deliveries left in the journal, then exiting")
	if err := srv.WaitReplayed(ctx); err != nil {
		log.Warn("Stopped before the journal was drained; the rest stays in it")
	}
	stop, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Stop(stop); err != nil {
		return err
	}
	log.Info("Journal drained")
	return nil
}

// hookDeps are what the hook component is built from, in `prow hook`
// and in `prow serve`.
type hookDeps struct {
	log           *logrus.Entry
	agent         *config.Agent
	client        *github.Client // nil: no in-process plugins
	registry      *prometheus.Registry
	endpoint      string
	gitCacheDir   string
	secretFile    string
	journalDir    string
	journalNoSync bool
	// journalSyncAck: acknowledge only once the delivery is synced.
	journalSyncAck bool
	workers        int
	// backlogWarning: see hook.ServerOptions.BacklogWarning.
	backlogWarning int
	pluginTimeout  time.Duration
	// jobs is where trigger starts jobs; nil when this process has none.
	jobs trigger.Jobs
	// configMaps is where config-updater writes; nil when nowhere.
	configMaps configupdater.Maps
	// sharedDeliveries: other replicas may have handled a delivery too.
	sharedDeliveries bool
	// git and inRepo, when set, are shared with other components of the
	// process (tide): one clone cache, one in-repo config cache.
	git    *git.Client
	inRepo *inrepo.Getter
}

// hookParts are the built hook component.
type hookParts struct {
	server     *hook.Server
	dispatcher *plugins.Dispatcher
}

func buildHook(d hookDeps) (*hookParts, error) {
	secrets, err := hook.LoadSecretFile(d.secretFile)
	if err != nil {
		return nil, err
	}
	metrics := hook.NewMetrics(d.registry)
	var botLogin func(context.Context) (string, error)
	var inProcess []plugins.Plugin
	if d.client != nil {
		botLogin = d.client.BotUser
		gitClient := d.git
		if gitClient == nil {
			gitClient = &git.Client{CacheDir: d.gitCacheDir, RemoteURL: cloneURL(d.endpoint), Credentials: d.client.GitCredentials}
		}
		inRepo := d.inRepo
		if inRepo == nil {
			inRepo = inrepo.New(gitClient, 0)
		}
		inProcess = catalog.All(catalog.Deps{GitHub: d.client, Owners: &owners.Loader{Git: gitClient}, Git: gitClient, Jobs: d.jobs, ConfigMaps: d.configMaps, InRepo: inRepo})
	}
	dispatcher, err := plugins.NewDispatcher(plugins.DispatcherOptions{
		Plugins: inProcess, Config: d.agent.Getter(), PluginConfig: d.agent.PluginsGetter(), BotLogin: botLogin,
		Timeout: d.pluginTimeout, External: &plugins.ExternalForwarder{PluginConfig: d.agent.PluginsGetter()},
		Recorder: metrics, Logger: d.log,
	})
	if err != nil {
		return nil, err
	}
	j, _, err := journal.Open(journal.Options{Dir: d.journalDir, NoSync: d.journalNoSync, SyncBeforeAck: d.journalSyncAck})
	if err != nil {
		return nil, err
	}
	handler := hook.DispatchHandler(dispatcher, d.log)
	if d.sharedDeliveries {
		// A delivery this replica has not seen may have reached another
		// (GitHub's retry, a redelivery): plugins look for its effects
		// before making them, as on a replay after a crash.
		inner := handler
		handler = func(ctx context.Context, rec journal.Record) {
			rec.Replayed = true
			inner(ctx, rec)
		}
	}
	srv, err := hook.NewServer(hook.ServerOptions{Secrets: secrets.Secrets, Journal: j, Handler: handler,
		Workers: d.workers, BacklogWarning: d.backlogWarning, Metrics: metrics, Logger: d.log})
	if err != nil {
		return nil, err
	}
	return &hookParts{server: srv, dispatcher: dispatcher}, nil
}

// defaultJournalHelp says where the journal goes without --journal-dir.
const defaultJournalHelp = "/var/lib/prow/journal when /var/lib/prow is writable, as in the image; else prowbot/journal in the user's data directory"

// defaultJournalDir is the journal's directory without --journal-dir:
// /var/lib/prow/journal where /var/lib/prow is writable (the image
// makes it so), else prowbot/journal under $XDG_DATA_HOME or
// ~/.local/share.
func defaultJournalDir() string {
	if unix.Access("/var/lib/prow", unix.W_OK) == nil {
		return "/var/lib/prow/journal"
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = os.TempDir()
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "prowbot", "journal")
}

// newLogger is the JSON logger every long-running subcommand uses.
func newLogger(level string) *logrus.Logger {
	logger := logrus.New()
	l, _ := logrus.ParseLevel(level)
	logger.SetLevel(l)
	logger.SetFormatter(&logrus.JSONFormatter{})
	return logger
}

// newRegistry is a metrics registry with the Go and process collectors.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// watchConfig reloads the configuration on changes until ctx ends.
func watchConfig(ctx context.Context, agent *config.Agent, log *logrus.Entry) {
	if err := agent.Watch(ctx); err != nil {
		log.WithError(err).Error("Configuration watcher stopped")
	}
}

// cloneURL derives repositories' clone URLs from the API endpoint:
// github.com for its API, the same host for GitHub Enterprise and the
// sandbox.
func cloneURL(endpoint string) func(org, repo string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(endpoint, "/"), "/api/v3")
	if base == strings.TrimSuffix(github.DefaultEndpoint, "/") {
		base = "https://github.com"
	}
	return func(org, repo string) string { return base + "/" + org + "/" + repo + ".git" }
}

func defaultGitCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "prowbot", "git")
}
