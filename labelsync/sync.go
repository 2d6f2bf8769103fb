package labelsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/prow/github"
)

// GitHub is what syncing needs of GitHub.
type GitHub interface {
	ListOrgRepos(ctx context.Context, org string) ([]github.RepoSummary, error)
	GetRepoLabels(ctx context.Context, org, repo string) ([]github.Label, error)
	CreateRepoLabel(ctx context.Context, org, repo string, l github.Label) error
	UpdateRepoLabel(ctx context.Context, org, repo, name string, l github.Label) error
	DeleteRepoLabel(ctx context.Context, org, repo, name string) error
	ListLabeledIssues(ctx context.Context, org, repo, label string) ([]int, error)
	AddLabels(ctx context.Context, org, repo string, number int, labels ...string) error
}

// Syncer applies one labels configuration.
type Syncer struct {
	GitHub GitHub
	Config *Configuration
	// Orgs are synced whole (every unarchived repository); Only names
	// org/repo repositories to sync instead. Skip names org/repo
	// repositories to leave alone.
	Orgs, Only, Skip []string
	// Confirm applies the plan; without it the plan is only printed.
	Confirm bool
	// Out receives the plan (or what was done), one line per action.
	Out io.Writer
	// Logger defaults to logrus' standard logger.
	Logger *logrus.Entry
	// Now is the clock deleteAfter is compared with (default time.Now).
	Now func() time.Time
}

// Result sums up a run.
type Result struct {
	// Actions counts the actions planned (or, confirmed, done).
	Actions int
	// Changed counts the repositories with actions; UpToDate the others.
	Changed, UpToDate int
}

// Run plans every synced repository and, with Confirm, applies the plan.
// A failing repository does not stop the others; the errors are returned
// together at the end.
func (s *Syncer) Run(ctx context.Context) (Result, error) {
	var res Result
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	if s.Logger == nil {
		s.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	repos, err := s.repos(ctx)
	errs := []error{err}
	for _, r := range repos {
		n, err := s.repo(ctx, r[0], r[1], now)
		errs = append(errs, err)
		res.Actions += n
		if n > 0 {
			res.Changed++
		} else if err == nil {
			res.UpToDate++
		}
	}
	if s.Confirm {
		_, _ = fmt.Fprintf(s.Out, "%d label changes made in %d repositories, %d up to date\n", res.Actions, res.Changed, res.UpToDate)
	} else {
		_, _ = fmt.Fprintf(s.Out, "%d label changes in %d repositories, %d up to date (dry run: nothing changed; --confirm applies them)\n",
			res.Actions, res.Changed, res.UpToDate)
	}
	return res, errors.Join(errs...)
}

// repos lists the synced repositories, without the skipped ones.
func (s *Syncer) repos(ctx context.Context) ([][2]string, error) {
	skip := map[string]bool{}
	for _, r := range s.Skip {
		skip[strings.ToLower(r)] = true
	}
	var out [][2]string
	add := func(org, repo string) {
		if !skip[strings.ToLower(org+"/"+repo)] {
			out = append(out, [2]string{org, repo})
		}
	}
	for _, r := range s.Only {
		org, repo, _ := strings.Cut(r, "/")
		add(org, repo)
	}
	var errs []error
	for _, org := range s.Orgs {
		if err := github.EachActiveRepo(ctx, s.GitHub, org, add); err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// repo plans (and applies) the labels of org/repo; it returns how many
// actions it planned (or did).
func (s *Syncer) repo(ctx context.Context, org, repo string, now time.Time) (int, error) {
	current, err := s.GitHub.GetRepoLabels(ctx, org, repo)
	if err != nil {
		return 0, err
	}
	actions := Plan(s.Config.LabelsFor(org, repo), current, now)
	log := s.Logger.WithFields(logrus.Fields{"org": org, "repo": repo})
	for i, a := range actions {
		if !s.Confirm {
			_, _ = fmt.Fprintf(s.Out, "%s/%s: %s\n", org, repo, a)
			continue
		}
		done, err := s.apply(ctx, org, repo, a)
		if err != nil {
			return i, err
		}
		log.WithField("label", a.Name).Info("Label changed")
		_, _ = fmt.Fprintf(s.Out, "%s/%s: %s\n", org, repo, done)
	}
	return len(actions), nil
}

// apply does one action and says what was done.
func (s *Syncer) apply(ctx context.Context, org, repo string, a Action) (string, error) {
	switch a.Kind {
	case Create:
		err := s.GitHub.CreateRepoLabel(ctx, org, repo, github.Label{Name: a.Name, Color: a.Color, Description: a.Description})
		return "created" + strings.TrimPrefix(a.String(), "create"), err
	case Update, Rename:
		err := s.GitHub.UpdateRepoLabel(ctx, org, repo, a.Name, github.Label{Name: a.To, Color: a.Color, Description: a.Description})
		return string(a.Kind) + "d" + strings.TrimPrefix(a.String(), string(a.Kind)), err
	case Migrate:
		n, err := s.migrate(ctx, org, repo, a)
		return fmt.Sprintf("moved %d issues and pull requests labeled %q to %q and deleted %q", n, a.Name, a.To, a.Name), err
	case Delete:
		err := s.GitHub.DeleteRepoLabel(ctx, org, repo, a.Name)
		return "deleted" + strings.TrimPrefix(a.String(), "delete"), err
	}
	return "", fmt.Errorf("%s/%s: unknown label action %q", org, repo, a.Kind)
}

// migrate puts a.To on every issue and pull request labeled a.Name, then
// deletes a.Name (which takes it off them).
func (s *Syncer) migrate(ctx context.Context, org, repo string, a Action) (int, error) {
	numbers, err := s.GitHub.ListLabeledIssues(ctx, org, repo, a.Name)
	if err != nil {
		return 0, err
	}
	for _, n := range numbers {
		if err := s.GitHub.AddLabels(ctx, org, repo, n, a.To); err != nil {
			return 0, err
		}
	}
	return len(numbers), s.GitHub.DeleteRepoLabel(ctx, org, repo, a.Name)
}
