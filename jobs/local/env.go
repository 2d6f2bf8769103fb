package local

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/prowbot/prow/jobs"
	"github.com/prowbot/prow/jobs/clone"
	"github.com/prowbot/prow/jobs/downward"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

// execSpec is what to run, where, with what, for how long.
type execSpec struct {
	argv           []string
	env            []string
	dir            string
	timeout, grace time.Duration
}

// prepare works out the command of the run and makes its directories.
func (rn *run) prepare() (execSpec, error) {
	pj := rn.pj
	ps := pj.Spec.PodSpec
	if ps == nil || len(ps.Containers) == 0 {
		return execSpec{}, fmt.Errorf("job %s has no pod_spec container to run", pj.Spec.Job)
	}
	c := ps.Containers[0]
	if len(c.Command)+len(c.Args) == 0 {
		return execSpec{}, fmt.Errorf("container %q of job %s: %w", c.Name, pj.Spec.Job, errNoCommand)
	}
	down, err := downward.Env(pj)
	if err != nil {
		return execSpec{}, err
	}
	spec := execSpec{dir: filepath.Join(rn.dir, codeDir)}
	spec.timeout, spec.grace = timeouts(pj.Spec.DecorationConfig)
	artifacts := filepath.Join(rn.dir, artifactsDir)
	for _, d := range []string{artifacts, spec.dir} {
		if err := mkdirAll(d); err != nil {
			return execSpec{}, err
		}
	}
	refs := clone.RefsOf(pj)
	if len(refs) > 0 && !skipCloning(pj) {
		spec.dir = rn.r.cloner.WorkDir(spec.dir, refs)
	}
	if r := pj.Spec.Refs; r != nil && r.PathAlias == "" && pj.Spec.Type != prowapi.PeriodicJob {
		// The checkout is below the clone URL's host, not github.com.
		down[downward.SrcHostEnv] = clone.Host(rn.r.cloner.URL(*r))
	}
	down[downward.ArtifactsEnv] = artifacts
	vars := jobEnv(rn.r.opts.Env, c.Env, down, rn.log.Warnf)
	for _, a := range append(slices.Clone(c.Command), c.Args...) {
		spec.argv = append(spec.argv, expand(a, vars))
	}
	for k, v := range vars {
		spec.env = append(spec.env, k+"="+v)
	}
	slices.Sort(spec.env)
	return spec, nil
}

// timeouts are the job's timeout and grace period, Prow's defaults when
// unset.
func timeouts(dc *prowapi.DecorationConfig) (timeout, grace time.Duration) {
	timeout, grace = jobs.DefaultTimeout, jobs.DefaultGracePeriod
	if dc == nil {
		return timeout, grace
	}
	if d := dc.Timeout.Get(); d > 0 {
		timeout = d
	}
	if dc.GracePeriod != nil {
		grace = dc.GracePeriod.Duration
	}
	return timeout, grace
}

// jobEnv is the command's environment: the base, then the downward
// variables, then the container's own (which cannot replace the
// downward ones, as in a decorated pod where they come last), each
// container value expanded against what comes before it.
func jobEnv(base []string, container []corev1.EnvVar, down map[string]string, warnf func(string, ...any)) map[string]string {
	vars := map[string]string{}
	for _, kv := range base {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for k, v := range down {
		vars[k] = v
	}
	for _, e := range container {
		if _, ok := down[e.Name]; ok {
			continue
		}
		if e.ValueFrom != nil {
			warnf("The local runner cannot resolve valueFrom: leaving %s unset", e.Name)
			continue
		}
		vars[e.Name] = expand(e.Value, vars)
	}
	return vars
}

// expand replaces $(NAME) by the value of NAME when it is set, and $$ by
// $, as Kubernetes expands env values, command and args.
func expand(s string, vars map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			ref := s[i : i+3+end]
			if v, ok := vars[ref[2:len(ref)-1]]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(ref)
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}
