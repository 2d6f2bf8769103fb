package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultAPIURL is the base of Slack's Web API.
const DefaultAPIURL = "https://slack.com/api/"

// maxResponse bounds the part of a response body that is read.
const maxResponse = 1 << 20

// Client posts messages through Slack's Web API.
type Client struct {
	// APIURL is the base of the Web API (DefaultAPIURL when empty); the
	// method name is appended.
	APIURL string
	// Token returns the bot token (xoxb-...), read at each message so
	// that a rotated token file takes effect.
	Token func() (string, error)
	// HTTP is the client used (http.DefaultClient when nil).
	HTTP *http.Client
}

// Error is a failed Web API call.
type Error struct {
	// Method is the API method, "chat.postMessage".
	Method string
	// Status is the HTTP status code (0 when no response came).
	Status int
	// Code is Slack's error code from an ok:false response
	// ("ratelimited", "channel_not_found", ...).
	Code string
	// Wait is the Retry-After Slack asked for (0 when none).
	Wait time.Duration
	// Err is the transport or decoding error, if any.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "slack %s", e.Method)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Wait > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.Wait)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// RetryAfter is how long Slack asked to wait; report.Loop waits at
// least that long before trying again.
func (e *Error) RetryAfter() time.Duration { return e.Wait }

// response is the part of a Web API answer the client reads.
type response struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
}

// PostMessage posts text to channel (a name such as "ci-alerts" or
// "#ci-alerts", or an ID).
func (c *Client) PostMessage(ctx context.Context, channel, text string) error {
	const method = "chat.postMessage"
	fail := func(status int, code string, wait time.Duration, err error) error {
		return &Error{Method: method, Status: status, Code: code, Wait: wait, Err: err}
	}
	token, err := c.Token()
	if err != nil {
		return fail(0, "", 0, fmt.Errorf("read token: %w", err))
	}
	base := c.APIURL
	if base == "" {
		base = DefaultAPIURL
	}
	form := url.Values{"channel": {channel}, "text": {text}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+"/"+method, strings.NewReader(form.Encode()))
	if err != nil {
		return fail(0, "", 0, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	httpc := c.HTTP
	if httpc == nil {
		httpc = http.DefaultClient
	}
	resp, err := httpc.Do(req)
	if err != nil {
		return fail(0, "", 0, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	wait := retryAfter(resp.Header.Get("Retry-After"))
	switch {
	case err != nil:
		return fail(resp.StatusCode, "", wait, fmt.Errorf("read response: %w", err))
	case resp.StatusCode == http.StatusTooManyRequests:
		return fail(resp.StatusCode, "ratelimited", wait, nil)
	case resp.StatusCode != http.StatusOK:
		return fail(resp.StatusCode, "", wait, nil)
	}
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return fail(resp.StatusCode, "", wait, fmt.Errorf("decode response: %w", err))
	}
	if !r.OK {
		code := r.Error
		if code == "" {
			code = "unknown error"
		}
		return fail(resp.StatusCode, code, wait, nil)
	}
	return nil
}

// retryAfter reads a Retry-After header in seconds (Slack sends seconds;
// an HTTP date is accepted too); 0 when absent or unreadable.
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// TokenFile returns a Token function reading the token from path at each
// call (surrounding white space dropped), as --slack-token-file gives it.
func TokenFile(path string) func() (string, error) {
	return func() (string, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return "", fmt.Errorf("slack token file %s is empty", path)
		}
		return tok, nil
	}
}

// IsRateLimited says whether err is Slack refusing for rate limiting.
func IsRateLimited(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "ratelimited"
}
