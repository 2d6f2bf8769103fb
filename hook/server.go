package hook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/hook/journal"
)

// MaxPayloadSize is the largest delivery accepted: GitHub caps webhook
// payloads at 25 MB.
const MaxPayloadSize = 25 << 20

// Handler handles one accepted delivery. It runs on hook's worker pool and
// must return when ctx ends.
type Handler func(ctx context.Context, rec journal.Record)

// ServerOptions configure a Server.
type ServerOptions struct {
	// Secrets returns the HMAC secrets in force.
	Secrets func() Secrets
	// Journal records deliveries before they are acknowledged and is the
	// queue the workers take them from; required.
	Journal *journal.Journal
	// Handler handles each delivery; required.
	Handler Handler
	// Workers is the number of deliveries handled at once (default 16).
	Workers int
	// BodyTimeout bounds the time a delivery's body may take to arrive
	// (default 10s, GitHub's own timeout for a whole delivery).
	BodyTimeout time.Duration
	// BacklogWarning is the number of deliveries waiting for a worker
	// past which a warning is logged, at most once a minute (default
	// 10,000; negative: never).
	BacklogWarning int
	// Metrics records what hook does; nil records nothing.
	Metrics *Metrics
	// Logger logs with the delivery's fields.
	Logger *logrus.Entry
	// Now is the clock (tests).
	Now func() time.Time
}

// Server is the webhook endpoint: it checks each delivery as Prow's hook
// does, journals it and answers. Acknowledging depends on the journal
// alone: a pool of workers takes the deliveries from the journal, so no
// amount of slow handling (GitHub down, a stuck plugin) stops intake.
type Server struct {
	opts ServerOptions

	runOnce  sync.Once
	wg       sync.WaitGroup
	stopping atomic.Bool
	// draining is set when the process is told to stop: readiness fails
	// so that the Service sends new deliveries to another replica, while
	// this one still answers those already on their way.
	draining atomic.Bool
	stopMon  chan struct{}
	// replaying counts the replayed deliveries not yet handled.
	replaying sync.WaitGroup
}

// NewServer checks the options and builds a Server; call Run to start the
// workers.
func NewServer(o ServerOptions) (*Server, error) {
	if o.Secrets == nil || o.Journal == nil || o.Handler == nil {
		return nil, errors.New("hook server needs secrets, a journal and a handler")
	}
	if o.Workers <= 0 {
		o.Workers = 16
	}
	if o.BodyTimeout <= 0 {
		o.BodyTimeout = 10 * time.Second
	}
	if o.BacklogWarning == 0 {
		o.BacklogWarning = 10_000
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{opts: o, stopMon: make(chan struct{})}
	o.Metrics.observe(s.backlog)
	return s, nil
}

// backlog reports the journal's backlog: deliveries not yet handled,
// those waiting for a worker, and how long the oldest of those has waited.
func (s *Server) backlog() (pending, waiting int, age time.Duration) {
	pending, waiting, oldest := s.opts.Journal.Backlog()
	if waiting > 0 {
		age = max(0, s.opts.Now().Sub(oldest))
	}
	return pending, waiting, age
}

// Run starts the workers, which take first the deliveries a previous run
// journaled but did not finish, and returns at once. Stop ends them.
func (s *Server) Run(ctx context.Context) {
	s.runOnce.Do(func() {
		n := s.opts.Journal.Replayed()
		if n > 0 {
			s.opts.Logger.WithField("count", n).Info("Replaying journaled deliveries")
		}
		s.replaying.Add(n)
		for i := 0; i < s.opts.Workers; i++ {
			s.wg.Add(1)
			go s.work(ctx)
		}
		go func() {
			s.replaying.Wait()
			s.opts.Logger.WithField("count", n).Info("Journal replay finished")
		}()
		if s.opts.BacklogWarning > 0 {
			go s.monitor(ctx, 5*time.Second)
		}
	})
}

// BeginDrain marks the server as going away: Ready turns false, while
// deliveries are still accepted until Stop.
func (s *Server) BeginDrain() { s.draining.Store(true) }

// Ready says whether the server wants new deliveries.
func (s *Server) Ready() bool { return !s.draining.Load() && !s.stopping.Load() }

// WaitReplayed waits until the deliveries the journal held at start are
// handled, or ctx ends.
func (s *Server) WaitReplayed(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.replaying.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop stops accepting deliveries, waits until the workers have handled
// everything already accepted or ctx ends, and closes the journal. What
// is left unhandled when ctx ends stays in the journal for the next start.
func (s *Server) Stop(ctx context.Context) error {
	if s.stopping.CompareAndSwap(false, true) {
		close(s.stopMon)
	}
	s.opts.Journal.Drain()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("stop hook: in-flight deliveries not finished: %w", ctx.Err())
	}
	return s.opts.Journal.Close()
}

func (s *Server) work(ctx context.Context) {
	defer s.wg.Done()
	for {
		rec, err := s.opts.Journal.Next(ctx)
		var unreadable *journal.UnreadableError
		switch {
		case errors.As(err, &unreadable):
			s.opts.Logger.WithError(err).WithField("delivery", rec.ID).Error("Dropping a journaled delivery that cannot be read back")
		case err != nil:
			return
		default:
			s.opts.Handler(ctx, rec)
		}
		if err := s.opts.Journal.Done(rec.ID); err != nil {
			s.opts.Logger.WithError(err).WithField("delivery", rec.ID).Error("Failed to mark delivery done")
		}
		if rec.Replayed {
			s.replaying.Done()
		}
	}
}

// monitor logs a warning, at most once a minute, while more deliveries
// than BacklogWarning wait for a worker, and says when the backlog is
// back under it.
func (s *Server) monitor(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var warned time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.stopMon:
			return
		case <-tick.C:
		}
		pending, waiting, age := s.backlog()
		fields := logrus.Fields{"waiting": waiting, "pending": pending, "oldest_waiting_seconds": age.Seconds(), "threshold": s.opts.BacklogWarning}
		switch {
		case waiting > s.opts.BacklogWarning && s.opts.Now().Sub(warned) >= time.Minute:
			warned = s.opts.Now()
			s.opts.Logger.WithFields(fields).Warn("Webhook backlog over the warning threshold: deliveries are acknowledged and kept in the journal, handling lags")
		case waiting <= s.opts.BacklogWarning && !warned.IsZero():
			warned = time.Time{}
			s.opts.Logger.WithFields(fields).Info("Webhook backlog back under the warning threshold")
		}
	}
}

// ServeHTTP checks a delivery in the order Prow's hook does and answers
// with the same status codes and texts.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	code, msg, rec := s.accept(w, r)
	s.opts.Metrics.response(code, rec.Event)
	if code != http.StatusOK {
		s.opts.Logger.WithFields(logrus.Fields{"delivery": rec.ID, "event": rec.Event, "status": code}).Debug(msg)
		http.Error(w, msg, code)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "Event received. Have a nice day.")
}

// accept validates, journals and queues a delivery, returning the status
// and the message for the response.
func (s *Server) accept(w http.ResponseWriter, r *http.Request) (int, string, journal.Record) {
	rec := journal.Record{ID: r.Header.Get("X-GitHub-Delivery"), Event: r.Header.Get("X-GitHub-Event")}
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "405 Method not allowed", rec
	}
	if rec.Event == "" {
		return http.StatusBadRequest, "400 Bad Request: Missing X-GitHub-Event Header", rec
	}
	if rec.ID == "" {
		return http.StatusBadRequest, "400 Bad Request: Missing X-GitHub-Delivery Header", rec
	}
	sig := r.Header.Get("X-Hub-Signature-256")
	if sig == "" {
		return http.StatusForbidden, "403 Forbidden: Missing X-Hub-Signature-256", rec
	}
	if r.Header.Get("content-type") != "application/json" {
		return http.StatusBadRequest, "400 Bad Request: Hook only accepts content-type: application/json - please reconfigure this hook on GitHub", rec
	}
	if s.stopping.Load() {
		return http.StatusServiceUnavailable, "503 Service Unavailable: hook is shutting down", rec
	}
	// A body that trickles in holds a connection and a goroutine: it
	// gets BodyTimeout to arrive.
	_ = http.NewResponseController(w).SetReadDeadline(s.opts.Now().Add(s.opts.BodyTimeout))
	body, err := readBody(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge, fmt.Sprintf("413 Request Entity Too Large: payloads over %d bytes are refused", MaxPayloadSize), rec
		}
		// Prow's answer, for a body cut short or too slow to arrive alike.
		return http.StatusInternalServerError, "500 Internal Server Error: Failed to read request body", rec
	}
	if err := s.opts.Secrets().Validate(sig, body); err != nil {
		return http.StatusForbidden, "403 Forbidden: Invalid X-Hub-Signature-256 - " + err.Error(), rec
	}
	rec.Body = body
	rec.Header = keptHeaders(r.Header)
	rec.Received = s.opts.Now()
	dup, err := s.opts.Journal.Append(rec)
	if errors.Is(err, journal.ErrClosed) {
		return http.StatusServiceUnavailable, "503 Service Unavailable: hook is shutting down", rec
	}
	if err != nil {
		s.opts.Logger.WithError(err).WithField("delivery", rec.ID).Error("Failed to journal delivery")
		return http.StatusInternalServerError, "500 Internal Server Error: delivery could not be recorded", rec
	}
	if dup {
		s.opts.Metrics.duplicate()
	}
	return http.StatusOK, "", rec
}

// readBody reads the whole body, at most MaxPayloadSize bytes. The
// buffer grows with what arrives: a Content-Length is only a hint, up to
// bodyHint bytes, so a client announcing 25 MB and sending nothing costs
// no more than one that announces nothing.
func readBody(r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, MaxPayloadSize)
	if n := r.ContentLength; n > 0 && n <= bodyHint {
		buf := make([]byte, n)
		if _, err := io.ReadFull(body, buf); err != nil {
			return nil, err
		}
		// Whatever follows a short declared length is refused as net/http
		// refuses it: the body ends at Content-Length.
		return buf, nil
	}
	var buf bytes.Buffer
	buf.Grow(bodyHint)
	if _, err := buf.ReadFrom(body); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// bodyHint is the most a delivery's buffer starts with: typical webhook
// payloads fit (the 27 KB pull_request of a busy repository included).
const bodyHint = 256 << 10

// keptHeaders are the request headers forwarded to external plugins.
func keptHeaders(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Cookie", "Content-Length", "Connection", "Accept-Encoding":
			continue
		}
		out[k] = v
	}
	return out
}
