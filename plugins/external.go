package plugins

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/config"
)

// ExternalForwarder sends deliveries to the external plugins plugins.yaml
// configures for a repository: the original body with the original
// headers, plus User-Agent ProwHook, retried on transport errors.
type ExternalForwarder struct {
	PluginConfig config.PluginsGetter
	Client       *http.Client
	// Attempts and Backoff shape retries (default 5 attempts, 100ms
	// doubling).
	Attempts int
	Backoff  time.Duration
}

// Forward sends the delivery to every external plugin that wants it.
func (f *ExternalForwarder) Forward(ctx context.Context, log *logrus.Entry, del Delivery) {
	cfg := f.PluginConfig()
	if cfg == nil {
		return
	}
	for _, ext := range cfg.ExternalPluginsFor(del.Org, del.Repo) {
		if !wantsEvent(ext.Events, del.EventType) {
			continue
		}
		endpoint := ext.Endpoint
		if endpoint == "" {
			endpoint = "http://" + ext.Name
		}
		l := log.WithFields(logrus.Fields{"plugin": ext.Name, "endpoint": endpoint})
		if err := f.send(ctx, endpoint, del); err != nil {
			l.WithError(err).Error("Failed to forward delivery to external plugin")
		}
	}
}

func wantsEvent(events []string, event string) bool {
	if len(events) == 0 {
		return true
	}
	for _, e := range events {
		if e == event {
			return true
		}
	}
	return false
}

func (f *ExternalForwarder) send(ctx context.Context, endpoint string, del Delivery) error {
	attempts, backoff := f.Attempts, f.Backoff
	if attempts <= 0 {
		attempts = 5
	}
	if backoff <= 0 {
		backoff = 100 * time.Millisecond
	}
	client := f.Client
	if client == nil {
		client = &http.Client{Timeout: time.Minute}
	}
	var lastErr error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(backoff):
			}
			backoff *= 2
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(del.Body))
		if err != nil {
			return fmt.Errorf("build request to %s: %w", endpoint, err)
		}
		for k, vs := range del.Header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		req.Header.Set("User-Agent", "ProwHook")
		resp, err := client.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return fmt.Errorf("%s answered %s", endpoint, resp.Status)
		}
		return nil
	}
	return fmt.Errorf("post to %s after %d attempts: %w", endpoint, attempts, lastErr)
}
