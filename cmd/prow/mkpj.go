package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/cmd/internal/cli"
	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/ondemand"
	"github.com/prowbot/prow/jobs/sqlite"
	"github.com/prowbot/prow/plugins/trigger"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/github"
)

// mkpjOptions are the flags of `prow mkpj`, Prow's mkpj's.
type mkpjOptions struct {
	cli.ConfigFlags
	job         string
	repo        string
	baseRef     string
	baseSHA     string
	pullNumber  int
	pullSHA     string
	pullAuthor  string
	pullHeadRef string
	create      bool
	jobStore    string
	externalURL string
	jobTimeout  time.Duration
	kube        kubeFlags
	github      github.ClientOptions
	out, errOut io.Writer
}

func (o *mkpjOptions) Validate() error {
	if err := o.ConfigFlags.Validate(false); err != nil {
		return err
	}
	switch {
	case o.job == "":
		return errors.New("--job is required")
	case o.pullNumber < 0:
		return fmt.Errorf("--pull-number %d is not a pull request number", o.pullNumber)
	case o.create && o.jobStore != "" && (o.kube.kubeconfig != "" || o.kube.context != ""):
		return errors.New("--job-store and --kubeconfig name two job stores: create the job in one")
	}
	return nil
}

func newMkpjCommand() *cobra.Command {
	o := &mkpjOptions{}
	cmd := &cobra.Command{
		Use:   "mkpj",
		Short: "Make a ProwJob of a configured job, and print or create it",
		Long: "mkpj makes a ProwJob of the configured job --job, as trigger, the periodic scheduler or tide\n" +
			"would: a presubmit needs --pull-number (the pull request's head and base are read from GitHub\n" +
			"unless --pull-sha, --base-ref and --base-sha give them), a postsubmit --base-ref (its SHA read\n" +
			"from GitHub unless --base-sha gives it), a periodic nothing. It prints the ProwJob as YAML; with\n" +
			"--create it also creates it: in the SQLite job store of `prow serve` (--job-store, while serve\n" +
			"is stopped: a running serve takes jobs through its job API, see `prow gangway`) or as a ProwJob\n" +
			"resource (--kubeconfig, or the cluster it runs in).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			o.out, o.errOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			return o.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	o.ConfigFlags.AddFlags(f, false)
	f.StringVar(&o.job, "job", "", "name of the configured job")
	f.StringVar(&o.repo, "repo", "", "org/repo of the presubmit or postsubmit, when several repositories have a job of that name")
	f.StringVar(&o.baseRef, "base-ref", "", "branch to run against (a pull request's base when empty)")
	f.StringVar(&o.baseSHA, "base-sha", "", "commit of --base-ref (its head on GitHub when empty)")
	f.IntVar(&o.pullNumber, "pull-number", 0, "pull request to run a presubmit on")
	f.IntVar(&o.pullNumber, "pull", 0, "the same as --pull-number")
	f.StringVar(&o.pullSHA, "pull-sha", "", "head commit of the pull request (GitHub's when empty)")
	f.StringVar(&o.pullAuthor, "pull-author", "", "author of the pull request (GitHub's when empty)")
	f.StringVar(&o.pullHeadRef, "pull-head-ref", "", "head branch of the pull request (GitHub's when empty)")
	f.BoolVar(&o.create, "create", false, "create the ProwJob in the job store (--job-store, else the cluster of --kubeconfig)")
	f.BoolVar(&o.create, "trigger-job", false, "the same as --create (Prow's name)")
	f.StringVar(&o.jobStore, "job-store", "", "SQLite job store of `prow serve` (<its --data-dir>/jobs.db) to create the job in")
	f.StringVar(&o.externalURL, "external-url", "", "with --job-store: the address of `prow serve`, for the job's links (as its --external-url)")
	f.DurationVar(&o.jobTimeout, "default-job-timeout", 2*time.Hour, "with --job-store: timeout when the job's decoration sets none (as serve's)")
	o.kube.AddFlags(f)
	o.github.AddFlags(f)
	return cmd
}

func (o *mkpjOptions) run(ctx context.Context) error {
	snap, _, err := config.Load(o.ConfigFlags.Options())
	if err != nil {
		return err
	}
	cfg := snap.Config
	job, err := ondemand.Find(cfg, ondemand.Query{Name: o.job, Repo: o.repo, Branch: o.baseRef})
	if err != nil {
		return err
	}
	refs, err := o.refs(ctx, job)
	if err != nil {
		return err
	}
	pj, err := job.Build(jobs.Builder{Namespace: cfg.ProwJobNamespace}, refs, ondemand.Overrides{})
	if err != nil {
		return err
	}
	if o.create {
		if pj, err = o.createJob(ctx, cfg, pj); err != nil {
			return err
		}
		fmt.Fprintf(o.errOut, "Created ProwJob %s of %s\n", pj.Name, pj.Spec.Job)
	}
	out, err := yaml.Marshal(pj)
	if err != nil {
		return fmt.Errorf("write the ProwJob as YAML: %w", err)
	}
	_, err = o.out.Write(out)
	return err
}

// refs are the refs the job checks out, from the flags and, for what
// they leave out, from GitHub.
func (o *mkpjOptions) refs(ctx context.Context, job ondemand.Job) (*prowapi.Refs, error) {
	switch job.Type {
	case prowapi.PeriodicJob:
		return nil, nil
	case prowapi.PostsubmitJob:
		if o.baseRef == "" {
			return nil, fmt.Errorf("postsubmit %s of %s needs --base-ref", job.Postsubmit.Name, job.Repo)
		}
		refs := &prowapi.Refs{Org: job.Org(), Repo: job.RepoName(), RepoLink: "https://github.com/" + job.Repo, BaseRef: o.baseRef, BaseSHA: o.baseSHA}
		if refs.BaseSHA == "" {
			gh, err := o.githubClient()
			if err != nil {
				return nil, err
			}
			if refs.BaseSHA, err = gh.GetRef(ctx, refs.Org, refs.Repo, "heads/"+o.baseRef); err != nil {
				return nil, err
			}
		}
		refs.BaseLink = refs.RepoLink + "/commit/" + refs.BaseSHA
		return refs, nil
	}
	if o.pullNumber == 0 {
		return nil, fmt.Errorf("presubmit %s of %s needs --pull-number", job.Presubmit.Name, job.Repo)
	}
	pr := github.PullRequest{Number: o.pullNumber, BaseRef: o.baseRef, HeadSHA: o.pullSHA, Author: o.pullAuthor, HeadRef: o.pullHeadRef}
	if o.baseRef == "" || o.baseSHA == "" || o.pullSHA == "" || o.pullAuthor == "" {
		gh, err := o.githubClient()
		if err != nil {
			return nil, err
		}
		read, err := gh.GetPullRequest(ctx, job.Org(), job.RepoName(), o.pullNumber)
		if err != nil {
			return nil, err
		}
		pr = mergePull(read, pr)
		if o.baseSHA == "" {
			refs, err := trigger.PullRefs(ctx, gh, job.Org(), job.RepoName(), "", pr)
			return &refs, err
		}
	}
	refs, err := trigger.PullRefs(ctx, knownRef(o.baseSHA), job.Org(), job.RepoName(), "", pr)
	return &refs, err
}

// mergePull is the pull request GitHub gave with what the flags say
// over it.
func mergePull(read, flags github.PullRequest) github.PullRequest {
	if flags.BaseRef != "" {
		read.BaseRef = flags.BaseRef
	}
	if flags.HeadSHA != "" {
		read.HeadSHA = flags.HeadSHA
	}
	if flags.Author != "" {
		read.Author = flags.Author
	}
	if flags.HeadRef != "" {
		read.HeadRef = flags.HeadRef
	}
	return read
}

// knownRef answers trigger.PullRefs' question for the base with the
// SHA --base-sha gives.
type knownRef string

func (k knownRef) GetRef(context.Context, string, string, string) (string, error) {
	return string(k), nil
}

func (o *mkpjOptions) githubClient() (*github.Client, error) {
	if err := o.github.Validate(); err != nil {
		return nil, fmt.Errorf("reading the refs from GitHub (or give them as flags): %w", err)
	}
	o.github.Logger = logrus.NewEntry(newLogger("error"))
	return github.NewClient(o.github)
}

// createJob creates pj in the job store the flags name.
func (o *mkpjOptions) createJob(ctx context.Context, cfg *config.Config, pj *prowapi.ProwJob) (*prowapi.ProwJob, error) {
	if o.jobStore == "" {
		store, _, err := o.kube.openKubeStore(ctx, cfg, logrus.NewEntry(newLogger("error")))
		if err != nil {
			return nil, err
		}
		return store.Create(ctx, pj)
	}
	dir := filepath.Dir(o.jobStore)
	if _, err := os.Stat(o.jobStore); err != nil {
		return nil, fmt.Errorf("--job-store: %w", err)
	}
	lock, err := lockDataDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot write the job store while `prow serve` runs on it: use its job API (--gangway-port): %w", err)
	}
	defer lock.Close()
	store, err := sqlite.Open(ctx, o.jobStore, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	return embeddedDefaults(store, dir, o.externalURL, o.jobTimeout).Create(ctx, pj)
}

// embeddedDefaults wraps the store of the embedded mode under dataDir so
// new jobs get what serve's runner needs: artifacts under dataDir, links
// to external (when known), and the default timeout.
func embeddedDefaults(store jobs.Store, dataDir, external string, timeout time.Duration) jobs.Defaulting {
	d := jobs.Defaulting{Store: store, Bucket: "file://" + filepath.Join(dataDir, "artifacts"), Timeout: timeout, GracePeriod: 15 * time.Second}
	if external != "" {
		d.JobURLPrefix = external + "/view/"
	}
	return d
}
