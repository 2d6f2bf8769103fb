package deck

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/prowbot/prow/prow/storage"
)

// Limits of the log API.
const (
	// maxRange is the most bytes one /api/log request returns.
	maxRange = 1 << 20
	// liveChunk is the most bytes one live poll returns.
	liveChunk = 256 << 10
)

// liveAnswer is /api/log?job=: the log bytes after offset.
type liveAnswer struct {
	Text   string `json:"text"`
	Offset int64  `json:"offset"`
	State  string `json:"state"`
	// Done is set once the job is finished and the log has no more
	// bytes.
	Done bool `json:"done"`
}

// handleAPILog serves a log: ?job=<name>&offset=N reads the live log of
// a running job (JSON); ?src=<provider>/<bucket>/<dir>&file=<name>&
// offset=N&length=M reads a range of a stored file (text).
func (s *Server) handleAPILog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	offset, err := strconv.ParseInt(q.Get("offset"), 10, 64)
	if q.Get("offset") == "" {
		offset, err = 0, nil
	}
	if err != nil || offset < 0 {
		s.fail(w, r, http.StatusBadRequest, "Bad offset", "offset must be a number of bytes, 0 or more.")
		return
	}
	if name := q.Get("job"); name != "" {
		s.liveLog(w, r, name, offset)
		return
	}
	length, err := strconv.ParseInt(q.Get("length"), 10, 64)
	if err != nil || length <= 0 || length > maxRange {
		s.fail(w, r, http.StatusBadRequest, "Bad length", fmt.Sprintf("length must be between 1 and %d bytes.", maxRange))
		return
	}
	s.storedRange(w, r, q.Get("src"), q.Get("file"), offset, length)
}

func (s *Server) liveLog(w http.ResponseWriter, r *http.Request, name string, offset int64) {
	pj, herr := s.visibleJob(r, name)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	ans := liveAnswer{Offset: offset, State: string(pj.Status.State)}
	if s.opts.LiveLog == nil {
		ans.Done = true
		writeJSON(w, http.StatusOK, ans)
		return
	}
	rc, err := s.opts.LiveLog(r.Context(), pj)
	if err != nil {
		// Not started yet, or gone: the page polls again.
		ans.Done = pj.Status.State.IsFinal()
		writeJSON(w, http.StatusOK, ans)
		return
	}
	defer rc.Close()
	if err := skip(rc, offset); err != nil {
		ans.Done = pj.Status.State.IsFinal()
		writeJSON(w, http.StatusOK, ans)
		return
	}
	data, err := io.ReadAll(io.LimitReader(rc, liveChunk))
	if err != nil {
		s.log.WithError(err).WithField("name", name).Warn("Read live log failed")
	}
	// Send whole lines only, unless one line fills the chunk or the job
	// is over.
	if i := strings.LastIndexByte(string(data), '\n'); i >= 0 {
		data = data[:i+1]
	} else if len(data) < liveChunk && !pj.Status.State.IsFinal() {
		data = nil
	}
	ans.Text, ans.Offset = string(data), offset+int64(len(data))
	ans.Done = pj.Status.State.IsFinal() && len(data) == 0
	writeJSON(w, http.StatusOK, ans)
}

// skip moves past offset bytes, seeking when it can.
func skip(r io.Reader, offset int64) error {
	if offset == 0 {
		return nil
	}
	if sk, ok := r.(io.Seeker); ok {
		_, err := sk.Seek(offset, io.SeekStart)
		return err
	}
	n, err := io.CopyN(io.Discard, r, offset)
	if err == nil && n < offset {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// storedRange streams a range of a stored file without reading the rest.
func (s *Server) storedRange(w http.ResponseWriter, r *http.Request, src, file string, offset, length int64) {
	t, b, name, herr := s.buildFile(r, src, file, nil)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return
	}
	rc, err := b.ReadRange(r.Context(), name, offset, length)
	switch {
	case errors.Is(err, storage.ErrNotExist):
		s.fail(w, r, http.StatusNotFound, "File not found", "There is no file "+file+" in this build.")
		return
	case errors.Is(err, storage.ErrInvalidRange):
		s.fail(w, r, http.StatusRequestedRangeNotSatisfiable, "Bad range", "The offset is past the end of the file.")
		return
	case err != nil:
		s.log.WithError(err).WithField("build", t.Dir).Warn("Read log range failed")
		s.fail(w, r, http.StatusServiceUnavailable, "Storage unavailable", "The file cannot be read right now.")
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.Copy(w, rc)
}

// buildFile finds the file rel of the build that src (a /view/ path's
// rest) names: the target, its bucket and the object name, each checked
// as parseTarget, objectName and visibleFile do. accept, when set, may
// refuse rel once the target parsed.
func (s *Server) buildFile(r *http.Request, src, rel string, accept func(rel string) *httpError) (target, storage.Bucket, string, *httpError) {
	t, herr := s.parseTarget(src)
	if herr != nil {
		return t, nil, "", herr
	}
	if accept != nil {
		if herr := accept(rel); herr != nil {
			return t, nil, "", herr
		}
	}
	name, herr := objectName(t, rel)
	if herr != nil {
		return t, nil, "", herr
	}
	b, herr := s.visibleFile(r, t, name)
	return t, b, name, herr
}

// openWholeFile opens the whole file rel of the build the request's
// {rest} names (see buildFile) with its attributes; when it cannot, it
// answers the request and returns false.
func (s *Server) openWholeFile(w http.ResponseWriter, r *http.Request, rel string, accept func(rel string) *httpError) (storage.Attrs, io.ReadCloser, bool) {
	t, b, name, herr := s.buildFile(r, r.PathValue("rest"), rel, accept)
	if herr != nil {
		s.fail(w, r, herr.status, herr.title, herr.msg)
		return storage.Attrs{}, nil, false
	}
	attrs, err := b.Attributes(r.Context(), name)
	if errors.Is(err, storage.ErrNotExist) {
		s.fail(w, r, http.StatusNotFound, "File not found", "There is no file "+rel+" in this build.")
		return attrs, nil, false
	}
	if err != nil {
		s.log.WithError(err).WithField("build", t.Dir).Warn("Read file attributes failed")
		s.fail(w, r, http.StatusServiceUnavailable, "Storage unavailable", "The file cannot be read right now.")
		return attrs, nil, false
	}
	rc, err := b.ReadRange(r.Context(), name, 0, -1)
	if err != nil {
		s.log.WithError(err).WithField("build", t.Dir).Warn("Read file failed")
		s.fail(w, r, http.StatusServiceUnavailable, "Storage unavailable", "The file cannot be read right now.")
		return attrs, nil, false
	}
	return attrs, rc, true
}

// objectName checks a file name relative to a build directory.
func objectName(t target, rel string) (string, *httpError) {
	if err := storage.ValidatePath(rel); err != nil {
		return "", refuse(http.StatusBadRequest, "Bad file name", err.Error())
	}
	name := t.Dir + "/" + rel
	if err := storage.ValidatePath(name); err != nil {
		return "", refuse(http.StatusBadRequest, "Bad file name", err.Error())
	}
	return name, nil
}

// visibleFile opens t's bucket and checks that the object name (in t)
// may be served: by its own path and every directory on the way down.
func (s *Server) visibleFile(r *http.Request, t target, name string) (storage.Bucket, *httpError) {
	b, herr := s.bucket(r.Context(), t)
	if herr != nil {
		return nil, herr
	}
	if !s.newPathCheck(r.Context(), b, t.Location).file(name) {
		return nil, refuse(http.StatusNotFound, "Build not found", "There is no build at "+t.URLPath()+".")
	}
	return b, nil
}

// handleFile serves a build's file raw, with a content type that cannot
// run script on this site.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("name")
	attrs, rc, ok := s.openWholeFile(w, r, rel, nil)
	if !ok {
		return
	}
	defer rc.Close()
	ctype, inline := safeContentType(rel)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.FormatInt(attrs.Size, 10))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
	if !inline {
		h.Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(path.Base(rel), `"`, "")+`"`)
	}
	_, _ = io.Copy(w, rc)
}

// textExts are served as plain text, whatever they hold (HTML and SVG
// included, so they cannot run script here).
var textExts = map[string]bool{
	".txt": true, ".log": true, ".json": true, ".xml": true, ".yaml": true, ".yml": true, ".md": true,
	".csv": true, ".html": true, ".htm": true, ".svg": true, ".js": true, ".css": true, ".go": true,
	".sh": true, ".py": true, ".out": true, ".err": true, ".diff": true, ".patch": true,
}

var imageTypes = map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}

// safeContentType picks a content type for a served file and says
// whether it may be shown inline.
func safeContentType(name string) (string, bool) {
	ext := strings.ToLower(path.Ext(name))
	if textExts[ext] || ext == "" {
		return "text/plain; charset=utf-8", true
	}
	if t, ok := imageTypes[ext]; ok {
		return t, true
	}
	return "application/octet-stream", false
}
