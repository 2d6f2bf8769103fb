package slack

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func staticToken(tok string) func() (string, error) {
	return func() (string, error) { return tok, nil }
}

// TestPostMessageSpeaksSlacksWebAPI: the request is a form POST to
// chat.postMessage with the bot token as a bearer token, and Slack's
// answers become errors a caller can classify.
func TestPostMessageSpeaksSlacksWebAPI(t *testing.T) {
	cases := []struct {
		name string
		// respond answers the request.
		respond    func(w http.ResponseWriter)
		wantErr    bool
		wantStatus int
		wantCode   string
		wantWait   time.Duration
	}{{
		name:    "ok true is a success",
		respond: func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"ok":true,"channel":"C1","ts":"1.2"}`)) },
	}, {
		name: "HTTP 429 is rate limiting with Slack's Retry-After",
		respond: func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
		},
		wantErr: true, wantStatus: 429, wantCode: "ratelimited", wantWait: 3 * time.Second,
	}, {
		name: "ok false ratelimited keeps its Retry-After",
		respond: func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			_, _ = w.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
		},
		wantErr: true, wantStatus: 200, wantCode: "ratelimited", wantWait: time.Second,
	}, {
		name:    "ok false names Slack's error",
		respond: func(w http.ResponseWriter) { _, _ = w.Write([]byte(`{"ok":false,"error":"channel_not_found"}`)) },
		wantErr: true, wantStatus: 200, wantCode: "channel_not_found",
	}, {
		name:    "a server error is an error with its status",
		respond: func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) },
		wantErr: true, wantStatus: 503,
	}, {
		name:    "an answer that is not JSON is an error",
		respond: func(w http.ResponseWriter) { _, _ = w.Write([]byte(`<html>maintenance</html>`)) },
		wantErr: true, wantStatus: 200,
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var bad []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != "/api/chat.postMessage" {
					bad = append(bad, r.Method+" "+r.URL.Path)
				}
				if got := r.Header.Get("Authorization"); got != "Bearer xoxb-test" {
					bad = append(bad, "Authorization: "+got)
				}
				if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
					bad = append(bad, "Content-Type: "+ct)
				}
				if err := r.ParseForm(); err != nil || r.PostForm.Get("channel") != "ci" || r.PostForm.Get("text") != "Job <x|y> & more" {
					bad = append(bad, "form: "+r.PostForm.Encode())
				}
				tc.respond(w)
			}))
			defer srv.Close()
			c := &Client{APIURL: srv.URL + "/api/", Token: staticToken("xoxb-test")}
			err := c.PostMessage(t.Context(), "ci", "Job <x|y> & more")
			if len(bad) > 0 {
				t.Errorf("the request was not Slack's: %v", bad)
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("PostMessage = %v, want an error: %v", err, tc.wantErr)
			}
			if err == nil {
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *slack.Error", err)
			}
			if e.Status != tc.wantStatus || e.Code != tc.wantCode || e.RetryAfter() != tc.wantWait {
				t.Errorf("error = status %d code %q wait %s, want %d %q %s", e.Status, e.Code, e.RetryAfter(), tc.wantStatus, tc.wantCode, tc.wantWait)
			}
			if IsRateLimited(err) != (tc.wantCode == "ratelimited") {
				t.Errorf("IsRateLimited = %v", IsRateLimited(err))
			}
		})
	}
}

func TestPostMessageFailsWithoutAServerOrAToken(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := &Client{APIURL: url, Token: staticToken("xoxb-test")}
	if err := c.PostMessage(t.Context(), "ci", "x"); err == nil {
		t.Error("posting to a closed server must fail")
	}
	c = &Client{APIURL: url, Token: func() (string, error) { return "", errors.New("no such file") }}
	if err := c.PostMessage(t.Context(), "ci", "x"); err == nil || !strings.Contains(err.Error(), "read token") {
		t.Errorf("PostMessage without a token = %v", err)
	}
}

func TestRetryAfterReadsSeconds(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "0": 0, "30": 30 * time.Second, " 2 ": 2 * time.Second, "-1": 0, "soon": 0} {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestTokenFileIsReadAtEachCall(t *testing.T) {
	p := filepath.Join(t.TempDir(), "token")
	tok := TokenFile(p)
	if _, err := tok(); err == nil {
		t.Error("a missing token file must be an error")
	}
	for _, content := range []string{"xoxb-1\n", "  xoxb-2  "} {
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if got, err := tok(); err != nil || got != strings.TrimSpace(content) {
			t.Errorf("token = %q, %v; want %q", got, err, strings.TrimSpace(content))
		}
	}
	if err := os.WriteFile(p, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := tok(); err == nil {
		t.Error("an empty token file must be an error")
	}
}
