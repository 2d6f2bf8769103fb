package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/prowbot/prow/config/pluginconfig"
	"github.com/prowbot/prow/prow/mapkeys"
	"github.com/prowbot/prow/prow/yamlconf"
)

// Options say where the configuration files are and how strictly to read
// them.
type Options struct {
	// ConfigPath is config.yaml; required.
	ConfigPath string
	// JobConfigPath is a job-config file or a directory searched
	// recursively for *.yaml and *.yml files; optional.
	JobConfigPath string
	// PluginConfigPath is plugins.yaml; optional.
	PluginConfigPath string
	// ImplementedPlugins are the plugins this binary has: any other that
	// plugins.yaml enables is a warning (it does nothing). nil means no
	// such warning.
	ImplementedPlugins []string
	// Unimplemented names the settings of a loaded configuration that a
	// component accepts but does not act on (tide's, for one), beyond
	// UnimplementedSettings; each is a warning like theirs. Optional.
	Unimplemented func(*Config) []string
	// KnownPlugins are the plugin names plugins.yaml may enable; nil means
	// every plugin Prow knows.
	KnownPlugins []string
	// Strict turns unknown fields into errors instead of warnings.
	Strict bool
	// CheckTideScopes reports the orgs and repos of tide queries that
	// nothing else in the configuration names (no job, plugin or
	// branch-protection entry): each a warning (an error with Strict), or,
	// with ScopeExists, looked up on GitHub, an error when missing.
	CheckTideScopes bool
	// ScopeExists says whether org/repo (org alone when repo is empty)
	// exists on GitHub. Optional.
	ScopeExists func(org, repo string) (bool, error)
}

// Validate checks the options themselves.
func (o Options) Validate() error {
	if o.ConfigPath == "" {
		return errors.New("the path to config.yaml is required (--config-path)")
	}
	return nil
}

// Load reads, defaults and validates every configuration file. It returns
// the warnings (unknown fields, unless Strict) and, when anything is wrong,
// an error of type Problems listing every problem with its file and line.
func Load(o Options) (*Snapshot, []yamlconf.Problem, error) {
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	l := loader{opts: o}
	// plugins.yaml is read beside the job configuration, by a loader of
	// its own; its problems follow config.yaml's, as if read after.
	var plugins *pluginconfig.Configuration
	pl := loader{opts: o}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if o.PluginConfigPath != "" {
			plugins = pl.loadPlugins()
		}
	}()
	cfg := l.load()
	<-done
	l.errs = append(l.errs, pl.errs...)
	l.warnings = append(l.warnings, pl.warnings...)
	if cfg != nil && o.CheckTideScopes {
		l.checkTideScopes(cfg, plugins)
	}
	if len(l.errs) > 0 {
		return nil, l.warnings, l.errs
	}
	return &Snapshot{Config: cfg, Plugins: plugins}, l.warnings, nil
}

// loader gathers problems while it reads.
type loader struct {
	opts     Options
	dec      yamlconf.Decoder
	errs     Problems
	warnings []yamlconf.Problem
	doc      *yamlconf.Document // config.yaml's, for lines
}

func (l *loader) unknown(ps []yamlconf.Problem) {
	if l.opts.Strict {
		l.errs = append(l.errs, ps...)
	} else {
		l.warnings = append(l.warnings, ps...)
	}
}

func (l *loader) fail(err error) {
	var p yamlconf.Problem
	if errors.As(err, &p) {
		l.errs = append(l.errs, p)
		return
	}
	l.errs = append(l.errs, yamlconf.Problem{Message: err.Error()})
}

// jobFile is one parsed job-config file.
type jobFile struct {
	jc      JobConfig
	unknown []yamlconf.Problem
	err     error
}

func (l *loader) load() *Config {
	cfg := &Config{}
	data, err := os.ReadFile(l.opts.ConfigPath)
	if err != nil {
		l.fail(fmt.Errorf("read config: %w", err))
		return nil
	}
	doc, unknown, err := l.dec.Decode(l.opts.ConfigPath, data, cfg)
	l.unknown(unknown)
	if err != nil {
		l.fail(err)
		return nil
	}
	l.doc = doc
	locateJobs(&cfg.JobConfig, l.opts.ConfigPath, doc)
	l.unknown(unimplemented(l.opts.ConfigPath, doc, UnimplementedSettings))
	if l.opts.JobConfigPath != "" {
		l.loadJobDir(cfg)
	}
	cfg.ProwConfig.ApplyDefaults()
	if l.opts.Unimplemented != nil {
		for _, name := range l.opts.Unimplemented(cfg) {
			l.unknown([]yamlconf.Problem{{File: l.opts.ConfigPath, Message: name + " is accepted but not implemented, so it has no effect"}})
		}
	}
	for _, err := range cfg.ProwConfig.Validate() {
		p := yamlconf.Problem{File: l.opts.ConfigPath, Message: err.Error()}
		var loc located
		if errors.As(err, &loc) {
			p.Line = doc.Line(loc.path...)
		}
		l.errs = append(l.errs, p)
	}
	l.errs = append(l.errs, cfg.defaultAndValidateJobs()...)
	l.errs = append(l.errs, cfg.branchProtectionJobProblems(l.opts.ConfigPath, doc)...)
	return cfg
}

// loadJobDir parses every job-config file, in parallel, and merges them in
// path order so the result does not depend on timing.
func (l *loader) loadJobDir(cfg *Config) {
	paths, err := jobConfigFiles(l.opts.JobConfigPath)
	if err != nil {
		l.fail(err)
		return
	}
	// The largest files first, so that no worker is left parsing a big one
	// alone at the end; the merge below keeps path order.
	order := make([]int, len(paths))
	sizes := make([]int64, len(paths))
	for i, p := range paths {
		order[i] = i
		if info, err := os.Stat(p); err == nil {
			sizes[i] = info.Size()
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return sizes[order[a]] > sizes[order[b]] })
	files := make([]jobFile, len(paths))
	parallel(len(paths), func() func(int) {
		return func(k int) { i := order[k]; files[i] = l.parseJobFile(paths[i]) }
	})
	parsed := make([]*JobConfig, 0, len(files))
	for i := range files {
		l.unknown(files[i].unknown)
		if files[i].err != nil {
			l.fail(files[i].err)
			continue
		}
		parsed = append(parsed, &files[i].jc)
	}
	cfg.JobConfig.reserve(parsed)
	for _, jc := range parsed {
		cfg.JobConfig.merge(jc)
	}
}

// reserve makes room for the jobs and presets of others, so that merging
// thousands of jobs file by file copies each once.
func (c *JobConfig) reserve(others []*JobConfig) {
	pre, post := map[string]int{}, map[string]int{}
	periodics, presets := 0, 0
	for _, o := range others {
		for repo, jobs := range o.Presubmits {
			pre[repo] += len(jobs)
		}
		for repo, jobs := range o.Postsubmits {
			post[repo] += len(jobs)
		}
		periodics += len(o.Periodics)
		presets += len(o.Presets)
	}
	if len(pre) > 0 && c.Presubmits == nil {
		c.Presubmits = make(map[string][]Presubmit, len(pre))
	}
	for repo, n := range pre {
		c.Presubmits[repo] = slices.Grow(c.Presubmits[repo], n)
	}
	if len(post) > 0 && c.Postsubmits == nil {
		c.Postsubmits = make(map[string][]Postsubmit, len(post))
	}
	for repo, n := range post {
		c.Postsubmits[repo] = slices.Grow(c.Postsubmits[repo], n)
	}
	c.Periodics = slices.Grow(c.Periodics, periodics)
	c.Presets = slices.Grow(c.Presets, presets)
}

func (l *loader) parseJobFile(path string) jobFile {
	var f jobFile
	data, err := os.ReadFile(path)
	if err != nil {
		f.err = fmt.Errorf("read job config: %w", err)
		return f
	}
	doc, unknown, err := l.dec.Decode(path, data, &f.jc)
	f.unknown, f.err = unknown, err
	if err == nil {
		locateJobs(&f.jc, path, doc)
	}
	return f
}

// jobConfigFiles lists the YAML files under path (or path itself), skipping
// the ..data-style entries Kubernetes uses to swap ConfigMap contents.
func jobConfigFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("job config: %w", err)
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && strings.HasPrefix(d.Name(), "..") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if ext := filepath.Ext(p); ext == ".yaml" || ext == ".yml" {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list job config under %s: %w", path, err)
	}
	sort.Strings(out)
	return out, nil
}

// locateJobs records where each job of a file is defined.
func locateJobs(jc *JobConfig, path string, doc *yamlconf.Document) {
	for repo, jobs := range jc.Presubmits {
		for i := range jobs {
			jobs[i].SourcePath, jobs[i].SourceLine = path, doc.Line("presubmits", repo, i)
		}
	}
	for repo, jobs := range jc.Postsubmits {
		for i := range jobs {
			jobs[i].SourcePath, jobs[i].SourceLine = path, doc.Line("postsubmits", repo, i)
		}
	}
	for i := range jc.Periodics {
		jc.Periodics[i].SourcePath, jc.Periodics[i].SourceLine = path, doc.Line("periodics", i)
	}
}

// merge adds another file's jobs and presets.
func (c *JobConfig) merge(o *JobConfig) {
	c.Presets = append(c.Presets, o.Presets...)
	if len(o.Presubmits) > 0 && c.Presubmits == nil {
		c.Presubmits = map[string][]Presubmit{}
	}
	for repo, jobs := range o.Presubmits {
		c.Presubmits[repo] = append(c.Presubmits[repo], jobs...)
	}
	if len(o.Postsubmits) > 0 && c.Postsubmits == nil {
		c.Postsubmits = map[string][]Postsubmit{}
	}
	for repo, jobs := range o.Postsubmits {
		c.Postsubmits[repo] = append(c.Postsubmits[repo], jobs...)
	}
	c.Periodics = append(c.Periodics, o.Periodics...)
	c.DecorateAllJobs = c.DecorateAllJobs || o.DecorateAllJobs
}

// defaultAndValidateJobs fills every job's defaults and checks it. Jobs
// are independent once every file is read (presets come from all of them),
// so the work is shared among the CPUs; problems keep the order of a
// sequential pass (repos sorted, jobs in file order).
func (c *Config) defaultAndValidateJobs() Problems {
	c.presetIdx = newPresetIndex(c.Presets)
	defer func() { c.presetIdx = nil }()
	var tasks []func(regexCache) []yamlconf.Problem
	for _, repo := range mapkeys.Sorted(c.Presubmits) {
		jobs := c.Presubmits[repo]
		if err := validateRepoKey(repo); err != nil {
			p := yamlconf.Problem{File: jobs[0].SourcePath, Message: "presubmits: " + err.Error()}
			tasks = append(tasks, func(regexCache) []yamlconf.Problem { return []yamlconf.Problem{p} })
		}
		for i := range jobs {
			ps := &jobs[i]
			tasks = append(tasks, func(cache regexCache) []yamlconf.Problem {
				if err := c.defaultPresubmit(ps, repo); err != nil {
					return jobProblems(&ps.JobBase, "presubmit", []error{err})
				}
				return jobProblems(&ps.JobBase, "presubmit", c.validatePresubmit(ps, cache))
			})
		}
	}
	for _, repo := range mapkeys.Sorted(c.Postsubmits) {
		jobs := c.Postsubmits[repo]
		if err := validateRepoKey(repo); err != nil {
			p := yamlconf.Problem{File: jobs[0].SourcePath, Message: "postsubmits: " + err.Error()}
			tasks = append(tasks, func(regexCache) []yamlconf.Problem { return []yamlconf.Problem{p} })
		}
		for i := range jobs {
			ps := &jobs[i]
			tasks = append(tasks, func(cache regexCache) []yamlconf.Problem {
				if err := c.defaultPostsubmit(ps, repo); err != nil {
					return jobProblems(&ps.JobBase, "postsubmit", []error{err})
				}
				return jobProblems(&ps.JobBase, "postsubmit", c.validatePostsubmit(ps, cache))
			})
		}
	}
	for i := range c.Periodics {
		p := &c.Periodics[i]
		tasks = append(tasks, func(regexCache) []yamlconf.Problem {
			if err := c.defaultPeriodic(p); err != nil {
				return jobProblems(&p.JobBase, "periodic", []error{err})
			}
			return jobProblems(&p.JobBase, "periodic", c.validatePeriodic(p))
		})
	}
	results := make([][]yamlconf.Problem, len(tasks))
	parallel(len(tasks), func() func(int) {
		cache := regexCache{} // one per worker: the cache is not shared
		return func(i int) { results[i] = tasks[i](cache) }
	})
	var out Problems
	for _, r := range results {
		out = append(out, r...)
	}
	return append(out, c.duplicateProblems()...)
}

// parallel runs n pieces of work on GOMAXPROCS workers; each worker gets
// its own function from newWorker, called with the indexes it takes.
// Workers take the next index as they finish, so uneven pieces balance.
func parallel(n int, newWorker func() func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := newWorker()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				do(i)
			}
		}()
	}
	wg.Wait()
}

func (l *loader) loadPlugins() *pluginconfig.Configuration {
	pc, unknown, err := pluginconfig.Load(l.opts.PluginConfigPath)
	l.unknown(unknown)
	if err != nil {
		l.fail(err)
		return nil
	}
	known := l.opts.KnownPlugins
	if known == nil {
		known = pluginconfig.DefaultKnownPlugins()
	}
	for _, err := range pc.Validate(known) {
		l.errs = append(l.errs, yamlconf.Problem{File: l.opts.PluginConfigPath, Message: err.Error()})
	}
	l.unknown(unimplementedPluginSettings(l.opts.PluginConfigPath, pc))
	for _, msg := range pc.Unsupported() {
		l.unknown([]yamlconf.Problem{{File: l.opts.PluginConfigPath, Message: msg}})
	}
	if l.opts.ImplementedPlugins != nil {
		implemented := map[string]bool{}
		for _, name := range l.opts.ImplementedPlugins {
			implemented[name] = true
		}
		enabled := map[string][]string{}
		for _, key := range pc.Repos() {
			for _, name := range pc.Plugins[key].Plugins {
				enabled[name] = append(enabled[name], key)
			}
		}
		l.unknown(unimplementedPlugins(l.opts.PluginConfigPath, enabled, implemented))
	}
	return pc
}
