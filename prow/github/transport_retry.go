package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
)

// retryTransport retries 5xx answers and network errors with exponential
// backoff and jitter, and waits out rate limits: a primary limit until
// X-RateLimit-Reset, a secondary one for Retry-After (or a minute).
//
// Writes are retried too: GitHub's write endpoints the bot uses are
// idempotent in effect (setting labels, statuses, assignees) or fail before
// applying when GitHub answers 5xx, and a request that never reached
// GitHub cannot have applied.
type retryTransport struct {
	next       http.RoundTripper
	maxRetries int
	base       time.Duration // first backoff
	maxWait    time.Duration // longest wait for a rate limit
	sleep      func(ctx context.Context, d time.Duration) error
	now        func() time.Time
	metrics    *Metrics
	log        *logrus.Entry
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// replayable makes sure a request's body can be sent again.
func replayable(req *http.Request) error {
	if req.Body == nil || req.GetBody != nil {
		return nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return fmt.Errorf("read request body: %w", err)
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.Body, _ = req.GetBody()
	return nil
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := replayable(req); err != nil {
		return nil, err
	}
	backoff := t.base
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		resp, err := t.next.RoundTrip(req)
		wait, reason := t.decide(resp, err, backoff)
		if reason == "" {
			return resp, err
		}
		if attempt >= t.maxRetries {
			if err != nil {
				return nil, fmt.Errorf("%s %s: gave up after %d attempts: %w", req.Method, req.URL.Path, attempt+1, err)
			}
			return resp, nil // the caller sees GitHub's last answer
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
		if wait > t.maxWait {
			return nil, fmt.Errorf("%s %s: %s; waiting %s exceeds the limit of %s", req.Method, req.URL.Path, reason, wait.Round(time.Second), t.maxWait)
		}
		t.metrics.retry(reason)
		t.log.WithFields(logrus.Fields{"method": req.Method, "path": req.URL.Path, "reason": reason, "wait": wait.String(), "attempt": attempt + 1}).Info("Retrying GitHub request")
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
		}
		if reason == "server error" || reason == "network error" {
			backoff *= 2
		}
	}
}

// decide says whether to retry and how long to wait first; an empty reason
// means the answer is final.
func (t *retryTransport) decide(resp *http.Response, err error, backoff time.Duration) (time.Duration, string) {
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return 0, ""
		}
		return jitter(backoff), "network error"
	}
	switch {
	case resp.StatusCode >= 500:
		return jitter(backoff), "server error"
	case resp.StatusCode == http.StatusOK && resp.Header.Get("X-RateLimit-Remaining") == "0" && isGraphQLRateLimited(resp):
		return t.untilReset(resp), "primary rate limit"
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests:
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			if secs, err := strconv.Atoi(ra); err == nil {
				return time.Duration(secs) * time.Second, "secondary rate limit"
			}
		}
		if resp.Header.Get("X-RateLimit-Remaining") == "0" && resp.Header.Get("X-RateLimit-Reset") != "" {
			return t.untilReset(resp), "primary rate limit"
		}
		if isSecondaryLimit(resp) {
			return time.Minute, "secondary rate limit"
		}
	}
	return 0, ""
}

// untilReset is how long to wait for the budget X-RateLimit-Reset says
// comes back (a second when the header is missing or past).
func (t *retryTransport) untilReset(resp *http.Response) time.Duration {
	reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	if err != nil {
		return time.Second
	}
	return max(time.Unix(reset, 0).Sub(t.now())+time.Second, time.Second)
}

// isGraphQLRateLimited peeks at a GraphQL answer for GitHub's primary
// rate limit, which comes with 200 and a RATE_LIMITED error, leaving the
// body readable.
func isGraphQLRateLimited(resp *http.Response) bool {
	if resp.Request == nil || !strings.HasSuffix(resp.Request.URL.Path, "/graphql") {
		return false
	}
	body, err := peekBody(resp)
	return err == nil && strings.Contains(string(body), `"RATE_LIMITED"`)
}

// isSecondaryLimit peeks at a 403/429 body for GitHub's secondary limit
// message, leaving the body readable.
func isSecondaryLimit(resp *http.Response) bool {
	body, err := peekBody(resp)
	return err == nil && strings.Contains(strings.ToLower(string(body)), "secondary rate limit")
}

// peekBody reads the first 64 KiB of a response's body and leaves the
// whole body readable: a large answer is not cut short.
func peekBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
	return body, err
}

func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}
