package config

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/prowbot/prow/prow/orgrepo"
	"github.com/prowbot/prow/prow/yamlconf"
)

// In-repo configuration lives in one of these at the root of a repository:
// a single file, or a directory whose YAML files are read together.
const (
	ProwYAMLFile = ".prow.yaml"
	ProwYAMLDir  = ".prow"
)

// IsProwYAMLPath says whether a repository path is in-repo configuration:
// .prow.yaml, or a YAML file anywhere under .prow/.
func IsProwYAMLPath(p string) bool {
	if p == ProwYAMLFile {
		return true
	}
	if !strings.HasPrefix(p, ProwYAMLDir+"/") {
		return false
	}
	ext := path.Ext(p)
	return ext == ".yaml" || ext == ".yml"
}

// ProwYAML is what a repository's in-repo configuration holds: jobs for
// that repository alone (no repository key) and presets for them.
type ProwYAML struct {
	Presets     []Preset     `json:"presets,omitempty"`
	Presubmits  []Presubmit  `json:"presubmits,omitempty"`
	Postsubmits []Postsubmit `json:"postsubmits,omitempty"`
}

// InRepoError is a problem with a repository's in-repo configuration
// itself (as opposed to a failure to read it): a pull request that carries
// one gets a failing status naming it and runs no job.
type InRepoError struct {
	Problems Problems
}

func (e *InRepoError) Error() string { return e.Problems.Error() }

// Summary is the problems on one line, for a commit status description.
func (e *InRepoError) Summary() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

// AllowedClustersFor lists the clusters in-repo jobs of org/repo may run
// in: those allowed for the repository, its org and every repository
// ("*") together, as Prow allows them.
func (c *InRepoConfig) AllowedClustersFor(org, repo string) []string {
	var out []string
	for _, k := range orgrepo.Keys(org, repo) {
		out = append(out, c.AllowedClusters[k]...)
	}
	return out
}

// ParseProwYAML reads a repository's in-repo configuration from its files
// (repository path → contents; only in-repo configuration paths are
// read). Having both .prow.yaml and .prow/ is an error, as is any field
// the format does not have. Jobs remember their file and line.
func ParseProwYAML(files map[string][]byte) (*ProwYAML, error) {
	var paths []string
	single := false
	for p := range files {
		if !IsProwYAMLPath(p) {
			continue
		}
		single = single || p == ProwYAMLFile
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := &ProwYAML{}
	if len(paths) == 0 {
		return out, nil
	}
	if single && len(paths) > 1 {
		return nil, &InRepoError{Problems{yamlconf.Errorf(ProwYAMLFile, 0, "both %s and the directory %s/ are present; keep one of them", ProwYAMLFile, ProwYAMLDir)}}
	}
	var dec yamlconf.Decoder
	var probs Problems
	for _, p := range paths {
		var one ProwYAML
		doc, unknown, err := dec.Decode(p, files[p], &one)
		probs = append(probs, unknown...)
		if err != nil {
			var prob yamlconf.Problem
			if errors.As(err, &prob) {
				probs = append(probs, prob)
			} else {
				probs = append(probs, yamlconf.Errorf(p, 0, "%v", err))
			}
			continue
		}
		for i := range one.Presubmits {
			one.Presubmits[i].SourcePath, one.Presubmits[i].SourceLine = p, doc.Line("presubmits", i)
		}
		for i := range one.Postsubmits {
			one.Postsubmits[i].SourcePath, one.Postsubmits[i].SourceLine = p, doc.Line("postsubmits", i)
		}
		out.Presets = append(out.Presets, one.Presets...)
		out.Presubmits = append(out.Presubmits, one.Presubmits...)
		out.Postsubmits = append(out.Postsubmits, one.Postsubmits...)
	}
	if len(probs) > 0 {
		return nil, &InRepoError{probs}
	}
	return out, nil
}

// InRepoJobs are a repository's jobs with its in-repo ones added.
type InRepoJobs struct {
	Presubmits  []Presubmit
	Postsubmits []Postsubmit
}

// WithInRepo defaults and validates the in-repo jobs of org/repo as the
// central ones are (decoration defaults, presets: the central ones and the
// file's own) and returns them after the central jobs of the repository.
// A job named like a central job of the repository, a job in a cluster
// in_repo_config.allowed_clusters does not allow, and any invalid job is
// an *InRepoError listing every such problem. The jobs of py are
// defaulted in place: parse the files again for another call.
func (c *Config) WithInRepo(org, repo string, py *ProwYAML) (InRepoJobs, error) {
	key := org + "/" + repo
	out := InRepoJobs{Presubmits: c.PresubmitsFor(org, repo), Postsubmits: c.PostsubmitsFor(org, repo)}
	if py == nil || (len(py.Presubmits) == 0 && len(py.Postsubmits) == 0) {
		return out, nil
	}
	ck := newInRepoCheck(c, org, repo, py.Presets, out)
	var pre []Presubmit
	for _, ps := range py.Presubmits {
		ps := ps
		if ck.presubmit(&ps) {
			pre = append(pre, ps)
		}
	}
	var post []Postsubmit
	for _, ps := range py.Postsubmits {
		ps := ps
		if ck.postsubmit(&ps) {
			post = append(post, ps)
		}
	}
	// Clashes among the repository's jobs, central and in-repo together
	// (two jobs reporting one context, say).
	all := Config{JobConfig: JobConfig{
		Presubmits:  map[string][]Presubmit{key: append(append([]Presubmit(nil), out.Presubmits...), pre...)},
		Postsubmits: map[string][]Postsubmit{key: append(append([]Postsubmit(nil), out.Postsubmits...), post...)},
	}}
	probs := append(ck.probs, all.duplicateProblems()...)
	if len(probs) > 0 {
		return InRepoJobs{}, &InRepoError{probs}
	}
	return InRepoJobs{Presubmits: all.Presubmits[key], Postsubmits: all.Postsubmits[key]}, nil
}

// inRepoCheck defaults and checks the in-repo jobs of one repository,
// gathering their problems.
type inRepoCheck struct {
	scoped   Config // the configuration with the file's presets added
	key      string
	clusters []string
	allowed  map[string]bool
	central  map[string]*JobBase // by kind and name
	cache    regexCache
	probs    Problems
}

func newInRepoCheck(c *Config, org, repo string, presets []Preset, central InRepoJobs) *inRepoCheck {
	ck := &inRepoCheck{scoped: *c, key: org + "/" + repo, clusters: c.InRepoConfig.AllowedClustersFor(org, repo),
		allowed: map[string]bool{}, central: map[string]*JobBase{}, cache: regexCache{}}
	ck.scoped.Presets = append(append([]Preset(nil), c.Presets...), presets...)
	for _, cl := range ck.clusters {
		ck.allowed[cl] = true
	}
	for i := range central.Presubmits {
		ck.central["presubmit "+central.Presubmits[i].Name] = &central.Presubmits[i].JobBase
	}
	for i := range central.Postsubmits {
		ck.central["postsubmit "+central.Postsubmits[i].Name] = &central.Postsubmits[i].JobBase
	}
	return ck
}

// presubmit defaults and checks ps; it says whether ps joins the
// repository's list (a job redefining a central one does not).
func (ck *inRepoCheck) presubmit(ps *Presubmit) bool {
	if err := ck.scoped.defaultPresubmit(ps, ck.key); err != nil {
		ck.probs = append(ck.probs, jobProblems(&ps.JobBase, "presubmit", []error{err})...)
		return false
	}
	ck.probs = append(ck.probs, jobProblems(&ps.JobBase, "presubmit", ck.scoped.validatePresubmit(ps, ck.cache))...)
	return ck.inRepoRules(&ps.JobBase, "presubmit")
}

func (ck *inRepoCheck) postsubmit(ps *Postsubmit) bool {
	if err := ck.scoped.defaultPostsubmit(ps, ck.key); err != nil {
		ck.probs = append(ck.probs, jobProblems(&ps.JobBase, "postsubmit", []error{err})...)
		return false
	}
	ck.probs = append(ck.probs, jobProblems(&ps.JobBase, "postsubmit", ck.scoped.validatePostsubmit(ps, ck.cache))...)
	return ck.inRepoRules(&ps.JobBase, "postsubmit")
}

// inRepoRules reports a redefined central job and a disallowed cluster.
func (ck *inRepoCheck) inRepoRules(base *JobBase, kind string) bool {
	ok := true
	if prev := ck.central[kind+" "+base.Name]; prev != nil {
		ck.probs = append(ck.probs, problemf(base, "%s %q is already defined in the central configuration for %s (%s); in-repo jobs may not redefine it", kind, base.Name, ck.key, where(prev)))
		ok = false
	}
	if !ck.allowed[base.Cluster] {
		ck.probs = append(ck.probs, problemf(base, "%s %q: cluster %q is not allowed for in-repo jobs of %s (in_repo_config.allowed_clusters: %s)", kind, base.Name, base.Cluster, ck.key, clusterList(ck.clusters)))
	}
	return ok
}

func clusterList(cs []string) string {
	if len(cs) == 0 {
		return "none"
	}
	return fmt.Sprintf("%q", cs)
}
