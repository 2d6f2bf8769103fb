package deck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"

	"github.com/prowbot/prow/config"
)

// configPage is GET /config: the configuration in force as YAML,
// config.yaml's settings then the job configuration, with every secret
// value redacted (see redact) and, unless ShowHidden, without hidden
// jobs and what names hidden repos. The job configuration is encoded a
// job at a time, so that a large one is never held twice in memory, and
// the answer is made once per configuration loaded and kept (one copy
// of the YAML): the Kubernetes project's 3,850 jobs take seconds to
// encode, which a request must not be able to ask for again and again.
type configPage struct {
	s    *Server
	mu   sync.Mutex
	cfg  *config.Config
	body []byte
}

func (p *configPage) serve(w http.ResponseWriter, _ *http.Request) {
	body, err := p.render()
	if err != nil {
		p.s.log.WithError(err).Error("Encode config failed")
		textError(w, http.StatusInternalServerError, "internal error encoding the configuration")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// render is the YAML of the configuration in force, made again only
// when it changed; requests meanwhile wait for it.
func (p *configPage) render() ([]byte, error) {
	cfg := p.s.config()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg == cfg && p.body != nil {
		return p.body, nil
	}
	var buf bytes.Buffer
	cw := &configWriter{w: bufio.NewWriterSize(&buf, 64<<10)}
	if !p.s.opts.ShowHidden {
		rules := p.s.rules()
		cw.hiddenRepo = func(key string) bool {
			org, repo, _ := strings.Cut(key, "/")
			return key != "" && !strings.ContainsAny(key, " \n") && strings.Count(key, "/") <= 1 && rules.repoHidden(org, repo)
		}
		cw.hiddenJob = func(name string) bool {
			v, _ := rules.jobVerdict(name)
			return v == hidden
		}
	}
	pc := cfg.ProwConfig
	if cw.hiddenRepo != nil {
		pc.Deck.HiddenRepos = nil
	}
	settings, err := cw.encode(pc)
	if err != nil {
		return nil, fmt.Errorf("encode config.yaml settings: %w", err)
	}
	if string(settings) != "{}\n" {
		cw.raw(settings)
	}
	if err := cw.jobs(&cfg.JobConfig); err != nil {
		return nil, err
	}
	if err := cw.w.Flush(); err != nil {
		return nil, err
	}
	p.cfg, p.body = cfg, buf.Bytes()
	return p.body, nil
}

// configWriter writes redacted YAML a piece at a time.
type configWriter struct {
	w *bufio.Writer
	// hiddenRepo and hiddenJob are nil when everything is shown.
	hiddenRepo func(string) bool
	hiddenJob  func(string) bool
}

// encode is v as redacted YAML, without what names hidden repos.
func (cw *configWriter) encode(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	tree = redact(tree)
	if cw.hiddenRepo != nil {
		tree = dropHidden(tree, cw.hiddenRepo)
	}
	// The tree goes to the YAML encoder directly, not back through JSON
	// as sigs.k8s.io/yaml would: half the work.
	var buf bytes.Buffer
	enc := yamlv3.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(plainNumbers(tree)); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// plainNumbers turns the json.Numbers of a decoded tree into integers
// (or floats), which the YAML encoder writes as numbers.
func plainNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			t[k] = plainNumbers(val)
		}
	case []any:
		for i := range t {
			t[i] = plainNumbers(t[i])
		}
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n
		}
		if f, err := t.Float64(); err == nil {
			return f
		}
		return t.String()
	}
	return v
}

func (cw *configWriter) raw(data []byte) { _, _ = cw.w.Write(data) }

// item writes v as an element of a YAML list indented by indent.
func (cw *configWriter) item(v any, indent string) error {
	data, err := cw.encode(v)
	if err != nil {
		return err
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		switch {
		case i == 0:
			_, _ = cw.w.WriteString(indent + "- " + line + "\n")
		case line == "":
			_ = cw.w.WriteByte('\n')
		default:
			_, _ = cw.w.WriteString(indent + "  " + line + "\n")
		}
	}
	return nil
}

// key writes a mapping key (quoted when YAML needs it) at indent.
func (cw *configWriter) key(k, indent string) {
	data, _ := yaml.Marshal(k) // a string always encodes
	_, _ = cw.w.WriteString(indent + strings.TrimSuffix(string(data), "\n") + ":\n")
}

// jobs writes the job configuration: presets, presubmits and
// postsubmits by repository, periodics.
func (cw *configWriter) jobs(jc *config.JobConfig) error {
	if len(jc.Presets) > 0 {
		cw.key("presets", "")
		for _, p := range jc.Presets {
			if err := cw.item(p, ""); err != nil {
				return fmt.Errorf("encode preset: %w", err)
			}
		}
	}
	if err := writeByRepo(cw, "presubmits", jc.Presubmits, func(p config.Presubmit) string { return p.Name }); err != nil {
		return err
	}
	if err := writeByRepo(cw, "postsubmits", jc.Postsubmits, func(p config.Postsubmit) string { return p.Name }); err != nil {
		return err
	}
	wrote := false
	for _, p := range jc.Periodics {
		if cw.hiddenJob != nil && (p.Hidden || cw.hiddenJob(p.Name)) {
			continue
		}
		if !wrote {
			cw.key("periodics", "")
			wrote = true
		}
		if err := cw.item(p, ""); err != nil {
			return fmt.Errorf("encode periodic %s: %w", p.Name, err)
		}
	}
	if jc.DecorateAllJobs {
		_, _ = cw.w.WriteString("decorate_all_jobs: true\n")
	}
	return nil
}

// writeByRepo writes presubmits or postsubmits: org/repo keys in order,
// each with its visible jobs.
func writeByRepo[J any](cw *configWriter, section string, byRepo map[string][]J, name func(J) string) error {
	keys := make([]string, 0, len(byRepo))
	for k := range byRepo {
		if cw.hiddenRepo == nil || !cw.hiddenRepo(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	wroteSection := false
	for _, k := range keys {
		wroteKey := false
		for _, j := range byRepo[k] {
			if cw.hiddenJob != nil && cw.hiddenJob(name(j)) {
				continue
			}
			if !wroteSection {
				cw.key(section, "")
				wroteSection = true
			}
			if !wroteKey {
				cw.key(k, "  ")
				wroteKey = true
			}
			if err := cw.item(j, "  "); err != nil {
				return fmt.Errorf("encode %s %s: %w", section, name(j), err)
			}
		}
	}
	return nil
}

// dropHidden removes what names a hidden repo from a decoded
// configuration: map entries keyed by it, list elements equal to it, and
// list elements that are objects whose org or repo field is it (a
// default_decoration_config_entries entry, a tide query of that repo).
func dropHidden(v any, hiddenRepo func(string) bool) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if hiddenRepo(k) {
				delete(t, k)
				continue
			}
			t[k] = dropHidden(val, hiddenRepo)
		}
		return t
	case []any:
		out := t[:0]
		for _, e := range t {
			if namesHidden(e, hiddenRepo) {
				continue
			}
			out = append(out, dropHidden(e, hiddenRepo))
		}
		return out
	}
	return v
}

// namesHidden says whether a list element is a hidden repo's name or an
// object with a field that is.
func namesHidden(e any, hiddenRepo func(string) bool) bool {
	switch t := e.(type) {
	case string:
		return hiddenRepo(t)
	case map[string]any:
		for k, val := range t {
			if s, ok := val.(string); ok && repoFields[normalizeKey(k)] && hiddenRepo(s) {
				return true
			}
		}
	}
	return false
}

// repoFields name an object's org or repository.
var repoFields = map[string]bool{"repo": true, "org": true, "orgrepo": true, "repository": true, "organization": true}
