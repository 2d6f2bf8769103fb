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

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/hook"
	"github.com/prowbot/prow/hook/journal"
	"github.com/prowbot/prow/plugins"
	"github.com/prowbot/prow/plugins/catalog"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/prow/github"
	"github.com/prowbot/prow/prow/owners"
)

// hookOptions are the flags of `prow hook`, named as Prow's where Prow has
// them.
type hookOptions struct {
	port             int
	address          string
	webhookPath      string
	hmacSecretFile   string
	configPath       string
	jobConfigPath    string
	pluginConfigPath string
	journalDir       string
	journalNoSync    bool
	workers          int
	gracePeriod      time.Duration
	pluginTimeout    time.Duration
	logLevel         string
	gitCacheDir      string
	github           github.ClientOptions
}

func (o *hookOptions) Validate() error {
	switch {
	case o.configPath == "":
		return errors.New("--config-path is required")
	case o.pluginConfigPath == "":
		return errors.New("--plugin-config is required")
	case o.journalDir == "":
		return errors.New("--journal-dir is required: deliveries are recorded there before they are acknowledged")
	case o.port < 0 || o.port > 65535:
		return fmt.Errorf("--port %d is not a port", o.port)
	case o.workers <= 0:
		return errors.New("--workers must be at least 1")
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
	f.StringVar(&o.configPath, "config-path", "", "path to config.yaml")
	f.StringVar(&o.jobConfigPath, "job-config-path", "", "path to a job config file or a directory of them")
	f.StringVar(&o.pluginConfigPath, "plugin-config", "", "path to plugins.yaml")
	f.StringVar(&o.journalDir, "journal-dir", "", "directory of the delivery journal")
	f.BoolVar(&o.journalNoSync, "journal-no-fsync", false, "do not fsync the journal (survives a killed process, not a machine crash)")
	f.IntVar(&o.workers, "workers", 16, "deliveries handled at once")
	f.DurationVar(&o.gracePeriod, "grace-period", 180*time.Second, "how long shutdown waits for deliveries being handled")
	f.DurationVar(&o.pluginTimeout, "plugin-timeout", 5*time.Minute, "how long one plugin may take on one event")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	f.StringVar(&o.gitCacheDir, "git-cache-dir", defaultGitCache(), "where repositories are cloned to read OWNERS files")
	o.github.AddFlags(f)
	return cmd
}

func (o *hookOptions) run(ctx context.Context) error {
	logger := logrus.New()
	level, _ := logrus.ParseLevel(o.logLevel)
	logger.SetLevel(level)
	logger.SetFormatter(&logrus.JSONFormatter{})
	log := logrus.NewEntry(logger).WithField("component", "hook")

	names := append(catalog.Names(), pluginconfig.DefaultKnownPlugins()...)
	agent, err := config.NewAgent(config.Options{ConfigPath: o.configPath, JobConfigPath: o.jobConfigPath, PluginConfigPath: o.pluginConfigPath, KnownPlugins: names}, log)
	if err != nil {
		return err
	}
	go func() {
		if err := agent.Watch(ctx); err != nil {
			log.WithError(err).Error("Configuration watcher stopped")
		}
	}()
	secrets, err := hook.LoadSecretFile(o.hmacSecretFile)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := hook.NewMetrics(reg)
	var botLogin func(context.Context) (string, error)
	var inProcess []plugins.Plugin
	if o.hasGitHub() {
		o.github.Logger, o.github.Registerer = log, reg
		client, err := github.NewClient(o.github)
		if err != nil {
			return err
		}
		botLogin = client.BotUser
		gitClient := &git.Client{CacheDir: o.gitCacheDir, RemoteURL: cloneURL(o.github.Endpoint), Credentials: client.GitCredentials}
		inProcess = catalog.All(catalog.Deps{GitHub: client, Owners: &owners.Loader{Git: gitClient}})
	} else {
		log.Warn("No GitHub credentials: deliveries are journaled and forwarded to external plugins only")
	}
	dispatcher, err := plugins.NewDispatcher(plugins.DispatcherOptions{
		Plugins: inProcess, Config: agent.Getter(), PluginConfig: agent.PluginsGetter(), BotLogin: botLogin,
		Timeout: o.pluginTimeout, External: &plugins.ExternalForwarder{PluginConfig: agent.PluginsGetter()},
		Recorder: metrics, Logger: log,
	})
	if err != nil {
		return err
	}
	j, unfinished, err := journal.Open(journal.Options{Dir: o.journalDir, NoSync: o.journalNoSync})
	if err != nil {
		return err
	}
	srv, err := hook.NewServer(hook.ServerOptions{Secrets: secrets.Secrets, Journal: j, Handler: hook.DispatchHandler(dispatcher, log),
		Workers: o.workers, Metrics: metrics, Logger: log})
	if err != nil {
		return err
	}
	// Handling goes on during shutdown until the grace period ends.
	workCtx, cancelWork := context.WithCancel(context.Background())
	defer cancelWork()
	srv.Run(workCtx, unfinished)

	return serveHTTP(ctx, log, o.address, o.port, hook.Mux(o.webhookPath, srv, dispatcher, reg), "Hook listening", o.gracePeriod, srv.Stop)
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
