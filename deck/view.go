package deck

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prowbot/prow/deck/lens"
	"github.com/prowbot/prow/jobs"
	prowapi "github.com/prowbot/prow/prow/api/v1"
	"github.com/prowbot/prow/prow/storage"
)

// Limits of what a job page reads.
const (
	// logTail is how much of the end of a build log the page shows.
	logTail = 256 << 10
	// maxListed is the most files a job page lists.
	maxListed = 500
	// maxJUnit is the largest JUnit report read.
	maxJUnit = 20 << 20
	// foldContext lines around errors stay open; quiet stretches of
	// foldMin lines or more are folded.
	foldContext, foldMin = 5, 30
)

// FoldContext and FoldMin are the folding the page's script applies to
// the earlier part of a log, as the server folds the rest.
func (p *viewPage) FoldContext() int { return foldContext }
func (p *viewPage) FoldMin() int     { return foldMin }

// viewPage is the data of a job page.
type viewPage struct {
	Target     target
	HasStorage bool
	Job        string
	BuildID    string
	PJ         *prowapi.ProwJob
	Meta       lens.Metadata
	State      string
	Start      time.Time
	Finish     time.Time
	Took       string
	Revision   revision
	Refs       string
	Log        *logView
	Live       string
	Files      []fileRow
	Truncated  bool
	Lenses     []lensView
	Problems   []string
	HistoryURL string
	PRHistory  string
	CanRerun   bool
	CanAbort   bool
	Patterns   string
}

// logView is the build log part of a job page.
type logView struct {
	Size    int64
	Start   int64
	Groups  []lens.Group
	RawURL  string
	MoreURL string
}

type fileRow struct {
	Name string
	Size int64
	URL  string
}

func (s *Server) handleView(w http.ResponseWriter, r *http.Request) {
	rest := r.PathValue("rest")
	if name, ok := strings.CutPrefix(rest, "prowjob/"); ok {
		s.viewProwJob(w, r, name)
		return
	}
	t, herr := s.parseTarget(rest)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	s.viewBuild(w, r, t, nil)
}

func (s *Server) viewProwJob(w http.ResponseWriter, r *http.Request, name string) {
	pj, herr := s.visibleJob(r, name)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	a, err := jobs.ArtifactsOf(pj)
	if err != nil || s.opts.Storage == nil {
		p := s.jobOnlyPage(pj)
		s.fillLenses(r.Context(), nil, p, nil, nil)
		s.renderView(w, r, p)
		return
	}
	t := artifactsTarget(a)
	s.viewBuild(w, r, t, pj)
}

// jobOnlyPage is the page of a job with no storage: its record and, while
// it runs, its live log.
func (s *Server) jobOnlyPage(pj *prowapi.ProwJob) *viewPage {
	p := &viewPage{PJ: pj, Job: pj.Spec.Job, BuildID: pj.Status.BuildID, State: string(pj.Status.State), Start: pj.Status.StartTime.Time}
	if c := pj.Status.CompletionTime; c != nil {
		p.Finish = c.Time
	}
	p.Took, p.Revision = runTook(pj, noMetadata), revisionOf(pj, noMetadata)
	if pj.Spec.Refs != nil {
		p.Refs = pj.Spec.Refs.Org + "/" + pj.Spec.Refs.Repo + " " + pj.Spec.Refs.String()
	}
	s.addActions(p)
	return p
}

func (s *Server) addActions(p *viewPage) {
	// The page's script marks the error lines it adds, job or not.
	p.Patterns = strings.Join(s.logHighlighter().Patterns(), "\n")
	pj := p.PJ
	if pj == nil {
		return
	}
	p.CanRerun = s.opts.Rerun != nil
	p.CanAbort = s.opts.Abort != nil && !pj.Status.State.IsFinal()
	if s.opts.LiveLog != nil && !pj.Status.State.IsFinal() {
		p.Live = pj.Name
	}
	if r := pj.Spec.Refs; r != nil && len(r.Pulls) > 0 {
		p.PRHistory = "/pr-history/?" + url.Values{"org": {r.Org}, "repo": {r.Repo}, "pr": {itoa(r.Pulls[0].Number)}}.Encode()
	}
}

func (s *Server) viewBuild(w http.ResponseWriter, r *http.Request, t target, pj *prowapi.ProwJob) {
	ctx := r.Context()
	b, herr := s.bucket(ctx, t)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	check := s.newPathCheck(ctx, b, t.Location)
	if !check.dir(t.Dir) {
		s.fail(w, r, http.StatusNotFound, "Build not found", "There is no build at "+t.URLPath()+".")
		return
	}
	p := &viewPage{Target: t, HasStorage: true}
	md, err := lens.ReadMetadata(ctx, b, t.Dir)
	if err != nil {
		p.Problems = append(p.Problems, err.Error())
	}
	p.Meta = md
	if pj == nil && md.ProwJob != nil {
		pj = s.freshJob(ctx, md.ProwJob)
	}
	p.PJ = pj
	s.fillSummary(p)
	s.addActions(p)
	s.fillFiles(ctx, b, check, p)
	if p.Log == nil && p.Live == "" && p.Meta.Started == nil && p.Meta.Finished == nil && pj == nil && len(p.Files) == 0 {
		s.fail(w, r, http.StatusNotFound, "Build not found", "There is no build at "+t.URLPath()+".")
		return
	}
	s.renderView(w, r, p)
}

// freshJob is the store's current record of the job prowjob.json names,
// or the file's copy when the store no longer has it.
func (s *Server) freshJob(ctx context.Context, stored *prowapi.ProwJob) *prowapi.ProwJob {
	if stored.Name == "" {
		return stored
	}
	pj, err := s.opts.Getter.Get(ctx, stored.Name)
	if err != nil {
		if !errors.Is(err, jobs.ErrNotFound) {
			s.log.WithError(err).WithField("name", stored.Name).Warn("Get job failed")
		}
		return stored
	}
	return pj
}

func (s *Server) fillSummary(p *viewPage) {
	segs := strings.Split(p.Target.Dir, "/")
	if n := len(segs); n >= 2 {
		p.Job, p.BuildID = segs[n-2], segs[n-1]
		if i := strings.Index(p.Target.Dir, "pr-logs/"); i >= 0 {
			p.HistoryURL = "/job-history/" + strings.TrimSuffix(p.Target.URLPath(), p.Target.Dir) + p.Target.Dir[:i] + "pr-logs/directory/" + p.Job
		} else {
			p.HistoryURL = "/job-history/" + strings.TrimSuffix(p.Target.URLPath(), "/"+p.BuildID)
		}
	}
	m := p.Meta
	p.State, p.Start, p.Finish = m.State(), m.StartTime(), m.FinishTime()
	p.Took, p.Revision = runTook(p.PJ, m), revisionOf(p.PJ, m)
	if pj := p.PJ; pj != nil {
		p.Job, p.BuildID = pj.Spec.Job, pj.Status.BuildID
		if m.Finished == nil && pj.Status.State != "" {
			p.State = string(pj.Status.State)
		}
		if r := pj.Spec.Refs; r != nil {
			p.Refs = r.Org + "/" + r.Repo + " " + r.String()
		}
	}
	if p.Refs == "" && m.Started != nil {
		for repo, refs := range m.Started.Repos {
			p.Refs = repo + " " + refs
			break
		}
	}
}

// fillFiles lists the build's files and fills the lenses they select.
// Files a hidden repo or job owns are left out, whatever folder is
// listed.
func (s *Server) fillFiles(ctx context.Context, b storage.Bucket, check *pathCheck, p *viewPage) {
	prefix := p.Target.Dir + "/"
	var names []string
	sizes := map[string]int64{}
	scanned := 0
	for e, err := range b.List(ctx, storage.ListOptions{Prefix: prefix}) {
		if err != nil {
			p.Problems = append(p.Problems, "listing files: "+err.Error())
			break
		}
		if len(p.Files) >= maxListed || scanned >= maxScan {
			p.Truncated = true
			break
		}
		scanned++
		if !check.file(e.Name) {
			continue
		}
		rel := strings.TrimPrefix(e.Name, prefix)
		p.Files = append(p.Files, fileRow{Name: rel, Size: e.Size, URL: fileURL(p.Target, rel)})
		names = append(names, rel)
		sizes[rel] = e.Size
	}
	s.fillLenses(ctx, b, p, sizes, names)
}

func (s *Server) fillLog(ctx context.Context, b storage.Bucket, p *viewPage) {
	name := p.Target.Dir + "/" + storage.BuildLogFile
	tail, err := lens.ReadTail(ctx, b, name, logTail)
	if err != nil {
		p.Problems = append(p.Problems, err.Error())
		return
	}
	lv := &logView{Size: tail.Size, Start: tail.Start, RawURL: fileURL(p.Target, storage.BuildLogFile)}
	lv.Groups = lens.Fold(s.logHighlighter().Split(tail.Text), foldContext, foldMin)
	if tail.Start > 0 {
		lv.MoreURL = "/api/log?" + url.Values{"src": {p.Target.URLPath()}, "file": {storage.BuildLogFile}}.Encode()
	}
	p.Log = lv
}

// fileURL is where a build's file is served raw.
func fileURL(t target, rel string) string {
	return "/file/" + escapePath(t.URLPath()) + "?" + url.Values{"name": {rel}}.Encode()
}

func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func (s *Server) renderView(w http.ResponseWriter, r *http.Request, p *viewPage) {
	title := p.Job
	if p.BuildID != "" {
		title += " #" + p.BuildID
	}
	s.render(w, r, http.StatusOK, "view", title, p)
}
