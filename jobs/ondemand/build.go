package ondemand

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/mapkeys"
)

// Query names a configured job.
type Query struct {
	// Name is the job's name; required.
	Name string
	// Type narrows the search to one kind of job ("" for any of
	// presubmit, postsubmit and periodic).
	Type prowapi.ProwJobType
	// Repo ("org/repo") narrows presubmits and postsubmits to that
	// repository's ("" for any).
	Repo string
	// Branch, when set, leaves out the presubmits and postsubmits that do
	// not run on that branch.
	Branch string
}

// Job is a configured job Find found: exactly one of Presubmit,
// Postsubmit and Periodic is set.
type Job struct {
	Type prowapi.ProwJobType
	// Repo is "org/repo" of a presubmit or postsubmit.
	Repo       string
	Presubmit  *config.Presubmit
	Postsubmit *config.Postsubmit
	Periodic   *config.Periodic
}

// Org is the org of Repo.
func (j Job) Org() string { org, _, _ := strings.Cut(j.Repo, "/"); return org }

// RepoName is the repository's name in Repo, without its org.
func (j Job) RepoName() string { _, name, _ := strings.Cut(j.Repo, "/"); return name }

// search is what Find saw: the jobs q names, the names of the jobs of
// q's type and repository, and the repositories whose job of that name
// does not run on q's branch.
type search struct {
	q         Query
	found     []Job
	names     []string
	offBranch []string
}

func (s *search) consider(repo, name string, brancher config.Brancher, job Job) {
	q := s.q
	if (q.Type != "" && q.Type != job.Type) || (q.Repo != "" && repo != "" && q.Repo != repo) {
		return
	}
	s.names = append(s.names, name)
	switch {
	case name != q.Name:
	case q.Branch != "" && repo != "" && !brancher.ShouldRun(q.Branch):
		s.offBranch = append(s.offBranch, repo)
	default:
		s.found = append(s.found, job)
	}
}

// Find returns the one configured job q names. A name no job has is an
// *UnknownJobError; a name several jobs have (in several repositories,
// or of several types) is an error listing them, to narrow q by.
func Find(cfg *config.Config, q Query) (Job, error) {
	s := &search{q: q}
	for repo, list := range cfg.Presubmits {
		for i := range list {
			s.consider(repo, list[i].Name, list[i].Brancher, Job{Type: prowapi.PresubmitJob, Repo: repo, Presubmit: &list[i]})
		}
	}
	for repo, list := range cfg.Postsubmits {
		for i := range list {
			s.consider(repo, list[i].Name, list[i].Brancher, Job{Type: prowapi.PostsubmitJob, Repo: repo, Postsubmit: &list[i]})
		}
	}
	for i := range cfg.Periodics {
		s.consider("", cfg.Periodics[i].Name, config.Brancher{}, Job{Type: prowapi.PeriodicJob, Periodic: &cfg.Periodics[i]})
	}
	return s.result()
}

// result is the one job found, or the error saying why there is not
// exactly one.
func (s *search) result() (Job, error) {
	switch {
	case len(s.found) == 1:
		return s.found[0], nil
	case len(s.found) > 1:
		var where []string
		for _, j := range s.found {
			w := string(j.Type)
			if j.Repo != "" {
				w += " of " + j.Repo
			}
			where = append(where, w)
		}
		sort.Strings(where)
		return Job{}, fmt.Errorf("%q names several jobs (%s): say which by its type or repository", s.q.Name, strings.Join(where, ", "))
	case len(s.offBranch) > 0:
		sort.Strings(s.offBranch)
		return Job{}, fmt.Errorf("job %q of %s does not run on branch %q", s.q.Name, strings.Join(s.offBranch, ", "), s.q.Branch)
	}
	return Job{}, &UnknownJobError{Name: s.q.Name, Kind: string(s.q.Type), Where: s.q.Repo, Close: Suggest(s.q.Name, s.names)}
}

// Overrides change a job run from what its configuration says, as
// gangway's pod_spec_options do.
type Overrides struct {
	// Labels and Annotations are set on the ProwJob over the job's own.
	Labels, Annotations map[string]string
	// Env is set in every container of the job's pod spec.
	Env map[string]string
}

// Build makes a run of j against refs: a presubmit needs a base and at
// least one pull, a postsubmit a base, and a periodic takes no refs (its
// extra_refs are its own).
func (j Job) Build(b jobs.Builder, refs *prowapi.Refs, o Overrides) (*prowapi.ProwJob, error) {
	var pj *prowapi.ProwJob
	switch j.Type {
	case prowapi.PresubmitJob:
		if err := checkRefs(j, refs, true); err != nil {
			return nil, err
		}
		pj = b.Presubmit(*j.Presubmit, *refs, o.Labels)
	case prowapi.PostsubmitJob:
		if err := checkRefs(j, refs, false); err != nil {
			return nil, err
		}
		pj = b.Postsubmit(*j.Postsubmit, *refs, o.Labels)
	case prowapi.PeriodicJob:
		if refs != nil {
			return nil, fmt.Errorf("periodic %s takes no refs (its extra_refs are its own)", j.Periodic.Name)
		}
		pj = b.Periodic(*j.Periodic, o.Labels)
	default:
		return nil, fmt.Errorf("cannot make a job of type %q", j.Type)
	}
	for k, v := range o.Annotations {
		pj.Annotations[k] = v
	}
	if spec := pj.Spec.PodSpec; spec != nil && len(o.Env) > 0 {
		for i := range spec.Containers {
			spec.Containers[i].Env = setEnv(spec.Containers[i].Env, o.Env)
		}
	}
	return pj, nil
}

// checkRefs says what a presubmit's or postsubmit's refs lack.
func checkRefs(j Job, refs *prowapi.Refs, pulls bool) error {
	name := string(j.Type) + " " + j.Repo
	switch {
	case refs == nil:
		return fmt.Errorf("%s needs refs: a base ref and SHA", name)
	case refs.Org == "" || refs.Repo == "":
		return errors.New("refs need an org and a repo")
	case refs.Org+"/"+refs.Repo != j.Repo:
		return fmt.Errorf("the refs are of %s/%s, not of %s", refs.Org, refs.Repo, name)
	case refs.BaseRef == "" || refs.BaseSHA == "":
		return fmt.Errorf("%s needs a base ref and a base SHA", name)
	case pulls && len(refs.Pulls) == 0:
		return fmt.Errorf("%s needs a pull request in its refs", name)
	}
	for _, p := range refs.Pulls {
		if p.Number <= 0 || p.SHA == "" {
			return fmt.Errorf("pull #%d of the refs needs a number and a head SHA", p.Number)
		}
	}
	return nil
}

// setEnv sets every variable of env in have, replacing a variable of the
// same name, new ones in name order.
func setEnv(have []corev1.EnvVar, env map[string]string) []corev1.EnvVar {
	out := make([]corev1.EnvVar, 0, len(have)+len(env))
	for _, e := range have {
		if _, ok := env[e.Name]; !ok {
			out = append(out, e)
		}
	}
	keys := mapkeys.Sorted(env)
	for _, k := range keys {
		out = append(out, corev1.EnvVar{Name: k, Value: env[k]})
	}
	return out
}
