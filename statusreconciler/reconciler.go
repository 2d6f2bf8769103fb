package statusreconciler

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/plugins/trigger"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// GitHub is what the reconciler needs of GitHub.
type GitHub interface {
	trigger.TrustClient
	trigger.RefGetter
	trigger.ChangesClient
	ListOpenPullRequests(ctx context.Context, org, repo, branch string) ([]github.PullRequest, error)
	ListStatuses(ctx context.Context, org, repo, ref string) ([]github.Status, error)
	CreateStatus(ctx context.Context, org, repo, sha string, s github.Status) error
}

// Reconciler applies the Actions of a configuration change.
type Reconciler struct {
	GitHub GitHub
	Jobs   jobs.Creator
	// Plugins gives trigger's settings (trusted orgs and apps); nil
	// means the defaults.
	Plugins config.PluginsGetter
	// BotLogin names the bot, whose pull requests are trusted.
	BotLogin func(context.Context) (string, error)
	Logger   *logrus.Entry
	// InRepo gives the pull requests' in-repo jobs, whose contexts are
	// never retired; nil means the central configuration only.
	InRepo InRepo
}

// Run reconciles after every successful reload the events report,
// comparing with the configuration before it, from initial on, until ctx
// ends or events closes.
func (r *Reconciler) Run(ctx context.Context, initial *config.Config, events <-chan config.Event) {
	prev := initial
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if ev.Err != nil || ev.Snapshot == nil || ev.Snapshot.Config == prev {
				continue
			}
			next := ev.Snapshot.Config
			if err := r.Reconcile(ctx, prev, next); err != nil && ctx.Err() == nil {
				r.Logger.WithError(err).Warn("Reconciling open pull requests with the new job configuration failed in part")
			}
			prev = next
		}
	}
}

// Reconcile brings the open pull requests from old's jobs to next's. A
// failing repository or pull request does not stop the others.
func (r *Reconciler) Reconcile(ctx context.Context, old, next *config.Config) error {
	a := Diff(&old.JobConfig, &next.JobConfig)
	if a.Empty() {
		return nil
	}
	bot := ""
	if r.BotLogin != nil {
		var err error
		if bot, err = r.BotLogin(ctx); err != nil {
			return fmt.Errorf("read the bot's login: %w", err)
		}
	}
	var errs []error
	for _, repo := range sortedRepos(&old.JobConfig, &next.JobConfig) {
		if len(a.Trigger[repo]) == 0 && len(a.Retire[repo]) == 0 {
			continue
		}
		org, name, _ := strings.Cut(repo, "/")
		prs, err := r.GitHub.ListOpenPullRequests(ctx, org, name, "")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, pr := range prs {
			log := r.Logger.WithFields(logrus.Fields{"org": org, "repo": name, "pr": pr.Number})
			retire, err := r.keepInRepo(ctx, next, org, name, pr, a.Retire[repo])
			if err != nil {
				errs = append(errs, err)
			} else if err := r.retire(ctx, log, org, name, pr, retire); err != nil {
				errs = append(errs, err)
			}
			if err := r.trigger(ctx, log, next, bot, org, name, pr, a.Trigger[repo]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// retire retires the pending or failed retiring contexts of one pull
// request's head, moving each status to its replacement first (unless
// that context has a status already).
func (r *Reconciler) retire(ctx context.Context, log *logrus.Entry, org, repo string, pr github.PullRequest, rs []Retirement) error {
	if len(rs) == 0 {
		return nil
	}
	statuses, err := r.GitHub.ListStatuses(ctx, org, repo, pr.HeadSHA)
	if err != nil {
		return err
	}
	byContext := map[string]github.Status{}
	for _, s := range statuses {
		byContext[s.Context] = s
	}
	var errs []error
	for _, rt := range rs {
		s, ok := byContext[rt.Context]
		if !ok || s.State == "success" {
			continue
		}
		desc := RetiredDescription
		if rt.Replacement != "" {
			desc = fmt.Sprintf(movedDescription, rt.Replacement)
			if _, has := byContext[rt.Replacement]; !has {
				moved := github.Status{Context: rt.Replacement, State: s.State, Description: s.Description, TargetURL: s.TargetURL}
				if err := r.GitHub.CreateStatus(ctx, org, repo, pr.HeadSHA, moved); err != nil {
					errs = append(errs, err)
					continue
				}
			}
		}
		if err := r.GitHub.CreateStatus(ctx, org, repo, pr.HeadSHA, github.Status{Context: rt.Context, State: "success", Description: desc}); err != nil {
			errs = append(errs, err)
			continue
		}
		log.WithField("context", rt.Context).Info("Retired a context")
	}
	return errors.Join(errs...)
}

// trigger starts the presubmits that apply to one trusted, non-draft pull
// request: its base branch and, for file filters, its changes.
func (r *Reconciler) trigger(ctx context.Context, log *logrus.Entry, cfg *config.Config, bot, org, repo string, pr github.PullRequest, ps []config.Presubmit) error {
	if len(ps) == 0 || pr.Draft {
		return nil
	}
	var tc pluginconfig.Trigger
	if r.Plugins != nil {
		if pc := r.Plugins(); pc != nil {
			tc = pc.TriggerFor(org, repo)
		}
	}
	trusted, err := trigger.TrustedPullRequest(ctx, r.GitHub, tc, bot, pr.Author, org, repo, pr.Labels)
	if err != nil || !trusted {
		return err
	}
	changes := trigger.ChangedFiles(ctx, r.GitHub, org, repo, pr.Number)
	var refs *prowapi.Refs
	b := jobs.Builder{Namespace: cfg.ProwJobNamespace}
	var errs []error
	for _, p := range ps {
		run, err := p.ShouldRun(pr.BaseRef, changes, false)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !run {
			continue
		}
		if refs == nil {
			rf, err := trigger.PullRefs(ctx, r.GitHub, org, repo, "", pr)
			if err != nil {
				return errors.Join(append(errs, err)...)
			}
			refs = &rf
		}
		if _, err := jobs.CreateOnce(ctx, r.Jobs, b.Presubmit(p, *refs, nil)); err != nil {
			errs = append(errs, fmt.Errorf("start %s for %s/%s#%d: %w", p.Name, org, repo, pr.Number, err))
			continue
		}
		log.WithField("job", p.Name).Info("Started a presubmit the new job configuration added")
	}
	return errors.Join(errs...)
}
