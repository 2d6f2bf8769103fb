package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/inrepo"
	"github.com/prowbot/prow/prow/git"
	"github.com/prowbot/prow/tide"
)

// tideOptions are the flags of `prow tide`.
type tideOptions struct {
	githubComponentOptions
	port int
}

func newTideCommand() *cobra.Command {
	o := &tideOptions{}
	cmd := &cobra.Command{
		Use:   "tide",
		Short: "Merge pull requests that are ready (merge automation)",
		Long: "tide searches GitHub for the pull requests tide.queries cover every tide.sync_period, sets the\n" +
			"\"tide\" status on each saying what it still lacks, reruns presubmits that ran against an older\n" +
			"base (as ProwJobs) and merges ready pull requests one pool (org/repo/branch) at a time.\n" +
			"Replicas elect a leader; only the leader works.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	f.IntVar(&o.port, "port", 8888, "port of the pools (/, /tide.js) and history (/history, /tide-history.js) JSON, as Prow's tide serves them (0: none)")
	o.addFlags(f, "prow-tide")
	return cmd
}

func (o *tideOptions) run(ctx context.Context) error {
	// Only the leader is ready, so the Service sends the JSON requests to it.
	var leading leaderHandler
	s, m, err := o.start(ctx, "tide", config.Options{ConfigPath: o.ConfigPath, JobConfigPath: o.JobConfigPath, Unimplemented: tideUnimplemented},
		&o.github, func() bool { return leading.h.Load() != nil })
	if err != nil {
		return err
	}
	log, agent, client, rc := s.log, s.agent, s.client, s.rc
	if o.port > 0 {
		go func() {
			if err := serveHTTP(ctx, log, "", o.port, &leading, "Serving tide's JSON", 5*time.Second, nil); err != nil && ctx.Err() == nil {
				log.WithError(err).Error("Tide's JSON endpoint stopped")
			}
		}()
	}
	kc, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return fmt.Errorf("a client for the API server: %w", err)
	}
	history := &tide.ConfigMapHistory{ConfigMaps: kc.CoreV1().ConfigMaps(agent.Config().ProwJobNamespace)}
	gitClient := &git.Client{CacheDir: defaultGitCache(), RemoteURL: cloneURL(o.github.Endpoint), Credentials: client.GitCredentials}
	if err := m.add("tide", func(ctx context.Context) error {
		run, h := newTide(tide.Options{GitHub: client, Jobs: m.store, Config: agent.Getter(), Logger: log, History: history, InRepo: inrepo.New(gitClient, 0)})
		leading.set(h)
		defer leading.set(nil)
		return run(ctx)
	}); err != nil {
		return err
	}
	return m.run(ctx)
}

// leaderHandler serves the leader's JSON; a replica that does not lead
// answers 503.
type leaderHandler struct {
	h atomic.Pointer[http.Handler]
}

func (l *leaderHandler) set(h http.Handler) {
	if h == nil {
		l.h.Store(nil)
		return
	}
	l.h.Store(&h)
}

func (l *leaderHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := l.h.Load()
	if h == nil {
		http.Error(w, "this replica does not lead: ask the leader", http.StatusServiceUnavailable)
		return
	}
	(*h).ServeHTTP(w, r)
}

// newTide builds tide: run runs it until ctx ends (and fails at once if
// the options are wrong), h serves its pools and history JSON (`prow
// serve`'s deck reads it for /tide, /tide-history, /pr, /tide.js and
// /tide-history.js).
func newTide(o tide.Options) (run func(context.Context) error, h http.Handler) {
	ctrl, err := tide.New(o)
	if err != nil {
		return func(context.Context) error { return err }, http.NotFoundHandler()
	}
	return ctrl.Run, ctrl
}

// tideUnimplemented names the tide settings a configuration sets that
// tide reads but does not act on yet: warnings of checkconfig and of the
// components that run tide.
func tideUnimplemented(c *config.Config) []string { return c.Tide.Unsupported() }

// prowUnimplemented names what tide and deck accept in a configuration
// and do not act on.
func prowUnimplemented(c *config.Config) []string { return c.Unsupported() }

// lensUnimplemented names the lenses deck accepts and skips.
func lensUnimplemented(c *config.Config) []string { return c.Deck.Spyglass.Unsupported() }
