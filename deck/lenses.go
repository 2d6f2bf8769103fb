package deck

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck/lens"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// PodInfoFunc reads the pod of a job live from the cluster: the pod
// lens's source when the build has no podinfo.json.
type PodInfoFunc func(ctx context.Context, pj *prowapi.ProwJob) (*lens.PodInfo, error)

// Limits of what the lenses read, per file.
const (
	maxLinksFile    = 64 << 10
	maxMarkdownFile = 2 << 20
	maxCoverageFile = 50 << 20
	maxPodInfoFile  = 5 << 20
)

// lensView is one lens of a job page. Name says which of the fields is
// filled (the build log lens draws the page's Log and Live).
type lensView struct {
	Name, Title string
	Problems    []string
	Meta        *lens.MetaView
	JUnit       *junitView
	Links       []lens.LinkGroup
	Frames      []htmlFrame
	Docs        []markdownDoc
	Coverage    []coverageDoc
	Pod         *lens.PodView
}

type junitView struct {
	Suites []lens.SuiteView
	Totals lens.Totals
}

// htmlFrame is an HTML artifact shown in a sandboxed frame.
type htmlFrame struct{ Name, URL string }

type markdownDoc struct {
	Name string
	HTML template.HTML
}

type coverageDoc struct {
	Name string
	*lens.Coverage
}

// lensCache holds the lenses of the configuration last seen, so that
// they are compiled, and their problems logged, once per configuration.
type lensCache struct {
	mu    sync.Mutex
	cfg   *config.Config
	specs []lens.Spec
	// highlight marks error lines: the buildlog lens's
	// highlight_regexes, else deck's patterns.
	highlight *lens.Highlighter
}

// buildLogConfig is the buildlog lens's lens.config.
type buildLogConfig struct {
	HighlightRegexes []string `json:"highlight_regexes,omitempty"`
}

// lensSpecs are the configured lenses (the defaults when none are), with
// the pod lens left out of a deck that cannot read pods.
func (s *Server) lensSpecs() []lens.Spec {
	specs, _ := s.lensState()
	return specs
}

// logHighlighter marks the error lines of build logs.
func (s *Server) logHighlighter() *lens.Highlighter {
	_, h := s.lensState()
	return h
}

func (s *Server) lensState() ([]lens.Spec, *lens.Highlighter) {
	cfg := s.config()
	s.lenses.mu.Lock()
	defer s.lenses.mu.Unlock()
	if s.lenses.cfg == cfg && s.lenses.specs != nil {
		return s.lenses.specs, s.lenses.highlight
	}
	specs, errs := lens.Compile(cfg.Deck.Spyglass.Lenses)
	for _, err := range errs {
		s.log.WithError(err).Warn("Lens config skipped")
	}
	out := []lens.Spec{}
	h := s.highlight
	for _, sp := range specs {
		if sp.Name == lens.PodInfoLens && s.opts.PodInfo == nil {
			continue
		}
		if sp.Name == lens.BuildLogLens && len(sp.Config) > 0 && h == s.highlight {
			h = s.configuredHighlighter(sp)
		}
		out = append(out, sp)
	}
	s.lenses.cfg, s.lenses.specs, s.lenses.highlight = cfg, out, h
	return out, h
}

// configuredHighlighter is the highlighter of the buildlog lens's
// highlight_regexes, or deck's when it has none or a bad one.
func (s *Server) configuredHighlighter(sp lens.Spec) *lens.Highlighter {
	var c buildLogConfig
	if err := json.Unmarshal(sp.Config, &c); err != nil {
		s.log.WithError(err).Warn("Buildlog lens config skipped")
		return s.highlight
	}
	if len(c.HighlightRegexes) == 0 {
		return s.highlight
	}
	h, err := lens.NewHighlighter(c.HighlightRegexes)
	if err != nil {
		s.log.WithError(err).Warn("Buildlog lens highlight_regexes skipped")
		return s.highlight
	}
	return h
}

// fillLenses selects the lenses of a build from its files and fills
// them in config order; b is nil for a job without storage, which can
// only have the pod lens.
func (s *Server) fillLenses(ctx context.Context, b storage.Bucket, p *viewPage, sizes map[string]int64, files []string) {
	live := func(name string) bool { return name == lens.PodInfoLens && p.PJ != nil }
	for _, m := range lens.Select(s.lensSpecs(), files, live) {
		if b == nil && m.Name != lens.PodInfoLens {
			continue
		}
		lv := lensView{Name: m.Name, Title: lens.Title(m.Name)}
		r := lensReader{ctx: ctx, b: b, dir: p.Target.Dir, sizes: sizes, lv: &lv}
		if s.fillLens(r, p, m) {
			p.Lenses = append(p.Lenses, lv)
		}
	}
}

// fillLens fills one lens and says whether it has anything to show.
func (s *Server) fillLens(r lensReader, p *viewPage, m lens.Match) bool {
	lv := r.lv
	switch m.Name {
	case lens.MetadataLens:
		mv := p.Meta.View(p.PJ)
		lv.Meta = &mv
	case lens.BuildLogLens:
		if !slices.Contains(m.Files, storage.BuildLogFile) {
			return false
		}
		s.fillLog(r.ctx, r.b, p)
	case lens.JUnitLens:
		lv.JUnit = r.junit(m.Files)
	case lens.LinksLens:
		lv.Links = r.links(m.Files)
	case lens.HTMLLens:
		for _, f := range m.Files {
			if isHTMLName(f) {
				lv.Frames = append(lv.Frames, htmlFrame{Name: f, URL: htmlURL(p.Target, f)})
			}
		}
	case lens.MarkdownLens:
		lv.Docs = r.markdown(m.Files)
	case lens.CoverageLens:
		lv.Coverage = r.coverage(m.Files)
	case lens.PodInfoLens:
		lv.Pod = s.podView(r.ctx, r, p.PJ, m.Files)
		return lv.Pod != nil || len(lv.Problems) > 0
	}
	return true
}

// lensReader reads the artifacts of one lens and notes its problems.
type lensReader struct {
	ctx   context.Context
	b     storage.Bucket
	dir   string
	sizes map[string]int64
	lv    *lensView
}

// read reads rel whole, or notes why not.
func (r lensReader) read(rel string, limit int64) ([]byte, bool) {
	if r.sizes[rel] > limit {
		r.lv.Problems = append(r.lv.Problems, fmt.Sprintf("%s is larger than %d bytes: not shown", rel, limit))
		return nil, false
	}
	data, err := r.b.Read(r.ctx, r.dir+"/"+rel)
	if err != nil {
		r.lv.Problems = append(r.lv.Problems, err.Error())
		return nil, false
	}
	return data, true
}

func (r lensReader) problem(err error) { r.lv.Problems = append(r.lv.Problems, err.Error()) }

func (r lensReader) junit(files []string) *junitView {
	var j lens.JUnit
	for _, f := range files {
		if data, ok := r.read(f, maxJUnit); ok {
			if err := j.ParseJUnit(f, data); err != nil {
				r.problem(err)
			}
		}
	}
	suites, totals := j.Suites()
	return &junitView{Suites: suites, Totals: totals}
}

func (r lensReader) links(files []string) []lens.LinkGroup {
	var out []lens.LinkGroup
	for _, f := range files {
		if data, ok := r.read(f, maxLinksFile); ok {
			g, err := lens.ParseLinks(f, data)
			if err != nil {
				r.problem(err)
				continue
			}
			out = append(out, g)
		}
	}
	return out
}

func (r lensReader) markdown(files []string) []markdownDoc {
	var out []markdownDoc
	for _, f := range files {
		if data, ok := r.read(f, maxMarkdownFile); ok {
			h, err := lens.RenderMarkdown(f, data)
			if err != nil {
				r.problem(err)
				continue
			}
			out = append(out, markdownDoc{Name: f, HTML: h})
		}
	}
	return out
}

func (r lensReader) coverage(files []string) []coverageDoc {
	var out []coverageDoc
	for _, f := range files {
		if data, ok := r.read(f, maxCoverageFile); ok {
			c, err := lens.ParseCoverage(f, data)
			if err != nil {
				r.problem(err)
				continue
			}
			out = append(out, coverageDoc{Name: f, Coverage: c})
		}
	}
	return out
}

// podView reads podinfo.json when the build has one, else the pod live
// through the API while it exists.
func (s *Server) podView(ctx context.Context, r lensReader, pj *prowapi.ProwJob, files []string) *lens.PodView {
	if r.b != nil && slices.Contains(files, storage.PodInfoFile) {
		if data, ok := r.read(storage.PodInfoFile, maxPodInfoFile); ok {
			pi, err := lens.ParsePodInfo(storage.PodInfoFile, data)
			if err == nil {
				v := pi.View()
				return &v
			}
			r.problem(err)
		}
	}
	if pj == nil {
		return nil
	}
	pi, err := s.opts.PodInfo(ctx, pj)
	if err != nil {
		s.log.WithError(err).WithField("job", pj.Spec.Job).Debug("Read pod failed")
		return nil
	}
	if pi == nil || pi.Pod == nil {
		return nil
	}
	v := pi.View()
	return &v
}

// htmlURL is where the html lens's frame loads an artifact from.
func htmlURL(t target, rel string) string {
	return strings.Replace(fileURL(t, rel), "/file/", "/lens/html/", 1)
}
