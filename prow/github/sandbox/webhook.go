package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/sirupsen/logrus"
)

// Delivery is one webhook the sandbox sent.
type Delivery struct {
	ID      string
	Event   string
	Payload []byte
	// Status is the receiver's answer (0: no answer after all attempts).
	Status int
}

// deliverer sends webhooks in order on one goroutine, retrying failures.
type deliverer struct {
	url    string
	secret []byte
	log    *logrus.Entry
	client *http.Client

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []*Delivery
	busy    bool
	closed  bool
	history []Delivery
}

func newDeliverer(url string, secret []byte, log *logrus.Entry) *deliverer {
	d := &deliverer{url: url, secret: secret, log: log, client: &http.Client{Timeout: 30 * time.Second}}
	d.cond = sync.NewCond(&d.mu)
	go d.loop()
	return d
}

// send queues a delivery of event with payload.
func (d *deliverer) send(event string, payload any) {
	body, err := json.Marshal(payload)
	if err != nil {
		d.log.WithError(err).Error("Cannot encode webhook payload")
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.queue = append(d.queue, &Delivery{ID: uuid.NewString(), Event: event, Payload: body})
	d.cond.Broadcast()
}

func (d *deliverer) loop() {
	for {
		d.mu.Lock()
		for len(d.queue) == 0 && !d.closed {
			d.cond.Wait()
		}
		if d.closed && len(d.queue) == 0 {
			d.mu.Unlock()
			return
		}
		next := d.queue[0]
		d.queue = d.queue[1:]
		d.busy = true
		d.mu.Unlock()
		d.deliver(next)
		d.mu.Lock()
		d.busy = false
		d.history = append(d.history, *next)
		d.cond.Broadcast()
		d.mu.Unlock()
	}
}

func (d *deliverer) deliver(del *Delivery) {
	if d.url == "" {
		return
	}
	mac := hmac.New(sha256.New, d.secret)
	mac.Write(del.Payload)
	sig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	backoff := 50 * time.Millisecond
	for attempt := 0; attempt < 5; attempt++ {
		req, err := http.NewRequest(http.MethodPost, d.url, bytes.NewReader(del.Payload))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "GitHub-Hookshot/sandbox")
		req.Header.Set("X-GitHub-Event", del.Event)
		req.Header.Set("X-GitHub-Delivery", del.ID)
		req.Header.Set("X-Hub-Signature-256", sig)
		resp, err := d.client.Do(req)
		if err == nil {
			resp.Body.Close()
			del.Status = resp.StatusCode
			if resp.StatusCode < 500 {
				return
			}
		}
		time.Sleep(backoff)
		backoff *= 2
	}
	d.log.WithField("delivery", del.ID).Warn("Webhook delivery failed")
}

// flush waits until every queued delivery was attempted.
func (d *deliverer) flush(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		d.mu.Lock()
		for len(d.queue) > 0 || d.busy {
			d.cond.Wait()
		}
		d.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *deliverer) close() {
	d.mu.Lock()
	d.closed = true
	d.cond.Broadcast()
	d.mu.Unlock()
}

// Deliveries lists the webhooks sent so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return append([]Delivery(nil), s.hooks.history...)
}

// Flush waits until every webhook queued so far has been attempted.
func (s *Server) Flush(ctx context.Context) error { return s.hooks.flush(ctx) }
