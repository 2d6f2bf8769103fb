package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/sirupsen/logrus"
)

// maxHistory bounds the delivery log.
const maxHistory = 10000

// Delivery is one webhook the sandbox sent, or tried to.
type Delivery struct {
	// ID is the X-GitHub-Delivery header, a UUID.
	ID     string
	Event  string
	Action string
	// Payload is the body, as signed.
	Payload []byte
	// Attempts is how many times it was sent.
	Attempts int
	// StatusCode is the receiver's last answer (0: none).
	StatusCode int
	// Delivered says whether the receiver answered 2xx.
	Delivered bool
	// Error says why it was not delivered.
	Error string
	// Queued is when the change that caused it was made.
	Queued time.Time
}

// deliverer sends webhooks in order on one goroutine, from a bounded
// queue, retrying failures with backoff.
type deliverer struct {
	url      string
	secret   []byte
	attempts int
	backoff  time.Duration
	now      func() time.Time
	log      *logrus.Entry
	client   *http.Client
	queue    chan *Delivery
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once

	mu      sync.Mutex
	pending int
	idle    chan struct{} // closed when pending is 0
	sent    []Delivery
	closed  bool
}

func newDeliverer(o Options, log *logrus.Entry) *deliverer {
	idle := make(chan struct{})
	close(idle)
	d := &deliverer{url: o.WebhookURL, secret: o.HMACSecret, attempts: o.WebhookAttempts, backoff: o.WebhookBackoff, now: o.Now, log: log,
		client: &http.Client{Timeout: 30 * time.Second}, queue: make(chan *Delivery, o.WebhookQueue),
		stop: make(chan struct{}), done: make(chan struct{}), idle: idle}
	go d.loop()
	return d
}

// enqueue queues the webhooks of one change, in order; when the queue is
// full they are dropped and logged.
func (d *deliverer) enqueue(events []outgoing) {
	for _, e := range events {
		body, err := json.Marshal(e.payload)
		del := &Delivery{ID: uuid.NewString(), Event: e.event, Action: e.action, Payload: body, Queued: d.now()}
		if err != nil {
			del.Error = fmt.Sprintf("encode the payload: %v", err)
			d.record(del, false)
			continue
		}
		d.mu.Lock()
		closed := d.closed
		if !closed {
			if d.pending == 0 {
				d.idle = make(chan struct{})
			}
			d.pending++
		}
		d.mu.Unlock()
		if closed {
			del.Error = "the sandbox is closed"
			d.record(del, false)
			continue
		}
		select {
		case d.queue <- del:
		default:
			del.Error = "the webhook queue is full"
			d.log.WithFields(logrus.Fields{"delivery": del.ID, "event": eventSummary(e.event, e.action)}).Warn("Webhook dropped: queue full")
			d.record(del, true)
		}
	}
}

// record logs a finished delivery; queued says whether it was counted as
// pending.
func (d *deliverer) record(del *Delivery, queued bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sent = append(d.sent, *del)
	if len(d.sent) > maxHistory {
		d.sent = append([]Delivery(nil), d.sent[len(d.sent)-maxHistory:]...)
	}
	if queued && d.pending > 0 {
		d.pending--
		if d.pending == 0 {
			close(d.idle)
		}
	}
}

func (d *deliverer) loop() {
	defer close(d.done)
	for {
		select {
		case del := <-d.queue:
			d.deliver(del)
			d.record(del, true)
		case <-d.stop:
			return
		}
	}
}

// deliver sends one delivery, retrying connection errors and 5xx or 429
// answers.
func (d *deliverer) deliver(del *Delivery) {
	if d.url == "" {
		del.Error = "no webhook URL configured"
		return
	}
	mac := hmac.New(sha256.New, d.secret)
	mac.Write(del.Payload)
	sig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	l := d.log.WithFields(logrus.Fields{"delivery": del.ID, "event": eventSummary(del.Event, del.Action)})
	wait := d.backoff
	for del.Attempts < d.attempts {
		del.Attempts++
		if retry := d.post(del, sig); !retry {
			break
		}
		l.WithField("attempt", del.Attempts).WithField("error", del.Error).Debug("Webhook delivery failed; retrying")
		if del.Attempts == d.attempts {
			break
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-d.stop:
			timer.Stop()
			return
		}
		wait *= 2
	}
	if !del.Delivered {
		l.WithField("status", del.StatusCode).WithField("error", del.Error).Warn("Webhook not delivered")
	}
}

// post makes one attempt; it says whether another is worth making.
func (d *deliverer) post(del *Delivery, sig string) bool {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-d.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.url, bytes.NewReader(del.Payload))
	if err != nil {
		del.Error = err.Error()
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/sandbox")
	req.Header.Set("X-GitHub-Event", del.Event)
	req.Header.Set("X-GitHub-Delivery", del.ID)
	req.Header.Set("X-GitHub-Hook-ID", "1")
	req.Header.Set("X-Hub-Signature-256", sig)
	resp, err := d.client.Do(req)
	if err != nil {
		del.Error = err.Error()
		return true
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // draining lets the connection be reused
	_ = resp.Body.Close()
	del.StatusCode = resp.StatusCode
	del.Delivered = resp.StatusCode >= 200 && resp.StatusCode < 300
	del.Error = ""
	if !del.Delivered {
		del.Error = "the receiver answered " + resp.Status
	}
	return resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
}

// flush waits until nothing is pending.
func (d *deliverer) flush(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for webhook deliveries: %w", ctx.Err())
	}
}

// close stops the sender; what is still queued is dropped.
func (d *deliverer) close() {
	d.stopOnce.Do(func() { close(d.stop) })
	<-d.done
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	if d.pending > 0 {
		d.pending = 0
		close(d.idle)
	}
}

func (d *deliverer) history() []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Delivery(nil), d.sent...)
}
