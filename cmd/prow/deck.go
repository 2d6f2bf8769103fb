package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/client-go/kubernetes"

	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/deck/auth"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/sqlite"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// deckOptions are the flags of `prow deck`.
type deckOptions struct {
	port    int
	address string
	cli.ConfigFlags
	storePath      string
	jobStore       string
	kube           kubeFlags
	allowedBuckets []string
	localArtifacts string
	hookURL        string
	tideURL        string
	auth           deckAuth
	gcsCredentials string
	gcsEndpoint    string
	s3Credentials  string
	showHidden     bool
	logLevel       string
	gracePeriod    time.Duration
}

func (o *deckOptions) Validate() error {
	if err := o.ConfigFlags.Validate(false); err != nil {
		return err
	}
	switch {
	case o.port < 0 || o.port > 65535:
		return fmt.Errorf("--port %d is not a port", o.port)
	case o.jobStore != "" && o.jobStore != "sqlite" && o.jobStore != "kubernetes":
		return fmt.Errorf("--job-store %q: want sqlite (with --store) or kubernetes", o.jobStore)
	case o.jobStore == "kubernetes" && o.storePath != "":
		return errors.New("--store is the SQLite file: it does not go with --job-store=kubernetes")
	}
	if err := o.auth.Validate(); err != nil {
		return err
	}
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	return checkS3Credentials(o.s3Credentials)
}

func newDeckCommand() *cobra.Command { return deckCommand(&deckOptions{}) }

// deckCommand is the command that fills o from its flags.
func deckCommand(o *deckOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deck",
		Short: "Serve the job dashboard",
		Long: "deck serves the job list, job pages with live and stored logs, artifacts and JUnit results,\n" +
			"job and pull request history, command help and badges, reading jobs from the job store and\n" +
			"artifacts from GCS, S3 or a local directory, at Prow's URLs.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	f.IntVar(&o.port, "port", 8080, "port to listen on")
	f.StringVar(&o.address, "address", "", "address to listen on (all interfaces when empty)")
	o.ConfigFlags.AddFlags(f, true)
	f.StringVar(&o.storePath, "store", "", "SQLite job store file, as prow serve keeps it in --data-dir (empty: no job list, artifacts only)")
	f.StringVar(&o.jobStore, "job-store", "sqlite", "where jobs are read: sqlite (--store) or kubernetes (ProwJobs in prowjob_namespace)")
	o.kube.AddFlags(f)
	f.StringSliceVar(&o.allowedBuckets, "bucket-allow", nil, "buckets /view/gs/ (name or gs://name) and /view/s3/ (s3://name) may read, besides those the configuration names")
	f.StringVar(&o.localArtifacts, "local-artifacts", "", "local artifact directory served at /view/local/ (file:///dir or a path)")
	f.StringVar(&o.hookURL, "hook-url", "", "hook's /plugin-help address, for /command-help and /plugins")
	f.StringVar(&o.tideURL, "tide-url", "", "tide's pools JSON address (its / ; the history is at /history), for /tide, /tide-history and /pr")
	o.auth.AddFlags(f)
	f.StringVar(&o.auth.externalURL, "external-url", "", "the address people reach deck at (https makes its cookies Secure)")
	f.StringVar(&o.gcsCredentials, "gcs-credentials-file", "", "GCS service account key (Application Default Credentials when empty)")
	f.StringVar(&o.gcsEndpoint, "gcs-endpoint", "", "GCS emulator address (for tests)")
	f.StringVar(&o.s3Credentials, "s3-credentials-file", "", s3CredentialsHelp)
	f.BoolVar(&o.showHidden, "show-hidden", false, "show hidden repos and jobs")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	f.DurationVar(&o.gracePeriod, "grace-period", 10*time.Second, "how long shutdown waits for requests in flight")
	return cmd
}

// deckStore is what deck reads jobs from.
type deckStore interface {
	jobs.Lister
	jobs.Getter
}

// deckAuth are the flags of deck's login, shared by `prow deck` and
// `prow serve`.
type deckAuth struct {
	oauthConfigFile  string
	cookieSecretFile string
	trustedProxies   []string
	revokedFile      string
	// externalURL is where people reach deck (https makes cookies
	// Secure).
	externalURL string

	// What load read.
	loaded bool
	secret []byte
	oauth  *auth.OAuthConfig
}

func (a *deckAuth) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&a.oauthConfigFile, "github-oauth-config-file", "", "GitHub OAuth app config (client_id, client_secret, redirect_url, ...) for deck's login")
	f.StringVar(&a.cookieSecretFile, "cookie-secret", "", "file holding the secret (32+ bytes) that signs deck's session cookies; rerun and abort need it")
	f.StringSliceVar(&a.trustedProxies, "trusted-proxy", nil, "proxies (IP addresses or CIDR prefixes) whose X-Forwarded-Proto: https makes deck's cookies Secure")
	f.StringVar(&a.revokedFile, "revoked-sessions-file", "", "file keeping the deck sessions that logged out, so a copied cookie stays dead across restarts (prow serve: in --data-dir; prow deck: in memory when empty)")
}

func (a *deckAuth) Validate() error {
	if a.oauthConfigFile != "" && a.cookieSecretFile == "" {
		return errors.New("--github-oauth-config-file needs --cookie-secret to sign sessions")
	}
	return nil
}

// load reads and checks the cookie secret (32 bytes at least), the OAuth
// config and the trusted proxies, before anything starts.
func (a *deckAuth) load() error {
	if a.loaded {
		return nil
	}
	if _, err := auth.NewCookiePolicy(a.externalURL, a.trustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxy: %w", err)
	}
	if a.cookieSecretFile != "" {
		secret, err := os.ReadFile(a.cookieSecretFile)
		if err != nil {
			return fmt.Errorf("--cookie-secret: %w", err)
		}
		a.secret = []byte(strings.TrimSpace(string(secret)))
		if len(a.secret) < 32 {
			return fmt.Errorf("--cookie-secret: %s holds %d bytes, want at least 32", a.cookieSecretFile, len(a.secret))
		}
	}
	if a.oauthConfigFile != "" {
		var err error
		if a.oauth, err = auth.LoadOAuthConfig(a.oauthConfigFile); err != nil {
			return fmt.Errorf("--github-oauth-config-file: %w", err)
		}
	}
	a.loaded = true
	return nil
}

// apply fills the login options and, with a cookie secret, the rerun and
// abort actions over store.
func (a *deckAuth) apply(opts *deck.Options, store jobs.Store) error {
	if err := a.load(); err != nil {
		return err
	}
	opts.ExternalURL, opts.TrustedProxies, opts.RevokedSessionsFile = a.externalURL, a.trustedProxies, a.revokedFile
	if a.cookieSecretFile == "" {
		return nil
	}
	opts.CookieSecret, opts.OAuth = a.secret, a.oauth
	if store != nil {
		opts.Rerun, opts.Abort = deckActions(store)
	}
	return nil
}

// deckActions are deck's rerun and abort buttons over a job store.
func deckActions(store jobs.Store) (deck.RerunFunc, deck.AbortFunc) {
	rerun := func(ctx context.Context, pj *prowapi.ProwJob, user string) (*prowapi.ProwJob, error) {
		return jobs.Rerun(ctx, store, pj, user, time.Now())
	}
	abort := func(ctx context.Context, pj *prowapi.ProwJob, user string) error {
		return jobs.AbortJob(ctx, store, pj.Name, "Aborted by "+user+" on deck.")
	}
	return rerun, abort
}

// noJobStore is the store of a deck started without --store.
type noJobStore struct{ jobs.Unavailable }

// Get implements jobs.Getter.
func (noJobStore) Get(_ context.Context, name string) (*prowapi.ProwJob, error) {
	return nil, fmt.Errorf("get job %s: %w", name, jobs.ErrNoStore)
}

func (o *deckOptions) run(ctx context.Context) error {
	log := newLogger(o.logLevel).WithField("component", "deck")
	load := o.ConfigFlags.Options()
	load.Unimplemented = lensUnimplemented
	agent, err := config.NewAgent(load, log)
	if err != nil {
		return err
	}
	go watchConfig(ctx, agent, log)
	var store deckStore = noJobStore{}
	var writable jobs.Store
	var podInfo deck.PodInfoFunc
	if o.jobStore == "kubernetes" {
		st, rc, err := o.kube.openKubeStore(ctx, agent.Config(), log)
		if err != nil {
			return err
		}
		store, writable = st, st
		cs, err := kubernetes.NewForConfig(rc)
		if err != nil {
			return fmt.Errorf("kubernetes client for the pod lens: %w", err)
		}
		podInfo = deck.KubePodInfo(cs, func() string { return agent.Config().PodNamespace })
	} else if o.storePath != "" {
		st, err := sqlite.Open(ctx, o.storePath, sqlite.Options{})
		if err != nil {
			return err
		}
		defer st.Close()
		store, writable = st, st
	}
	opener := storage.NewOpenerWith(storage.Options{GCS: storage.GCSOptions{CredentialsFile: o.gcsCredentials, Endpoint: o.gcsEndpoint},
		S3: storage.S3Options{CredentialsFile: o.s3Credentials}})
	defer opener.Close()
	opts := deckBuildOptions{store: store, writable: writable, opener: opener, config: agent.Getter(), log: log,
		allowedBuckets: o.allowedBuckets, localBucket: o.localArtifacts, showHidden: o.showHidden, auth: &o.auth, podInfo: podInfo}
	if o.hookURL != "" {
		opts.pluginHelp = deck.HookPluginHelp(&http.Client{Timeout: 10 * time.Second}, o.hookURL)
	}
	if o.tideURL != "" {
		every := 10 * time.Second
		if p := agent.Config().Deck.TideUpdatePeriod; p != nil {
			every = p.Duration
		}
		opts.tide = deck.TideFromURL(&http.Client{Timeout: 10 * time.Second}, o.tideURL, every)
	}
	srv, err := buildDeck(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	return serveHTTP(ctx, log, o.address, o.port, srv.Handler(), "Deck listening", o.gracePeriod, nil)
}
