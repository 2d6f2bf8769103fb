package hook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
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
	// Journal records deliveries before they are acknowledged; required.
	Journal *journal.Journal
	// Handler handles each delivery; required.
	Handler Handler
	// Workers is the number of deliveries handled at once (default 16).
	Workers int
	// QueueSize bounds the deliveries accepted but not yet being handled
	// (default 1024); a full queue makes new deliveries wait.
	QueueSize int
	// Metrics records what hook does; nil records nothing.
	Metrics *Metrics
	// Logger logs with the delivery's fields.
	Logger *logrus.Entry
	// Now is the clock (tests).
	Now func() time.Time
}

// Server is the webhook endpoint: it checks each delivery as Prow's hook
// does, journals it, answers, and hands it to a bounded pool of workers.
type Server struct {
	opts  ServerOptions
	queue chan journal.Record

	runOnce sync.Once
	wg      sync.WaitGroup
	// replaying counts the replayed deliveries not yet handled.
	replaying sync.WaitGroup
	mu        sync.RWMutex
	closed    bool
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
	if o.QueueSize <= 0 {
		o.QueueSize = 1024
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Server{opts: o, queue: make(chan journal.Record, o.QueueSize)}, nil
}

// Run starts the workers, first handing them the deliveries a previous run
// journaled but did not finish, and returns at once. Stop ends them.
func (s *Server) Run(ctx context.Context, unfinished []journal.Record) {
	s.runOnce.Do(func() {
		for i := 0; i < s.opts.Workers; i++ {
			s.wg.Add(1)
			go s.work(ctx)
		}
		if len(unfinished) > 0 {
			s.opts.Logger.WithField("count", len(unfinished)).Info("Replaying journaled deliveries")
		}
		s.replaying.Add(len(unfinished))
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for _, rec := range unfinished {
				if !s.enqueue(rec) {
					return
				}
			}
		}()
		go func() {
			s.replaying.Wait()
			s.opts.Logger.WithField("count", len(unfinished)).Info("Journal replay finished")
		}()
	})
}

// Stop stops accepting deliveries, waits until the workers have handled
// everything already accepted or ctx ends, and closes the journal.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.queue)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("stop hook: in-flight deliveries not finished: %w", ctx.Err())
	}
	return s.opts.Journal.Close()
}

// enqueue hands a delivery to the workers; false once stopped.
func (s *Server) enqueue(rec journal.Record) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return false
	}
	s.queue <- rec
	s.opts.Metrics.queued(len(s.queue))
	return true
}

func (s *Server) work(ctx context.Context) {
	defer s.wg.Done()
	for rec := range s.queue {
		s.opts.Metrics.queued(len(s.queue))
		s.opts.Handler(ctx, rec)
		if err := s.opts.Journal.Done(rec.ID); err != nil {
			s.opts.Logger.WithError(err).WithField("delivery", rec.ID).Error("Failed to mark delivery done")
		}
		if rec.Replayed {
			s.replaying.Done()
		}
	}
}

// ServeHTTP checks a delivery in the order Prow's hook does and answers
// with the same status codes and texts.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	code, msg, rec := s.accept(r)
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
func (s *Server) accept(r *http.Request) (int, string, journal.Record) {
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
	body, err := readBody(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge, fmt.Sprintf("413 Request Entity Too Large: payloads over %d bytes are refused", MaxPayloadSize), rec
		}
		return http.StatusInternalServerError, "500 Internal Server Error: Failed to read request body", rec
	}
	if err := s.opts.Secrets().Validate(sig, body); err != nil {
		return http.StatusForbidden, "403 Forbidden: Invalid X-Hub-Signature-256 - " + err.Error(), rec
	}
	rec.Body = body
	rec.Header = keptHeaders(r.Header)
	rec.Received = s.opts.Now()
	dup, err := s.opts.Journal.Append(rec)
	if err != nil {
		s.opts.Logger.WithError(err).WithField("delivery", rec.ID).Error("Failed to journal delivery")
		return http.StatusInternalServerError, "500 Internal Server Error: delivery could not be recorded", rec
	}
	if dup {
		s.opts.Metrics.duplicate()
		return http.StatusOK, "", rec
	}
	if !s.enqueue(rec) {
		// Journaled already: it is handled after the restart.
		return http.StatusServiceUnavailable, "503 Service Unavailable: hook is shutting down", rec
	}
	return http.StatusOK, "", rec
}

// readBody reads the whole body, at most MaxPayloadSize bytes, sized by
// Content-Length when the sender gave one.
func readBody(r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, MaxPayloadSize)
	if n := r.ContentLength; n > 0 && n <= MaxPayloadSize {
		buf := make([]byte, n)
		if _, err := io.ReadFull(body, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	return io.ReadAll(body)
}

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
