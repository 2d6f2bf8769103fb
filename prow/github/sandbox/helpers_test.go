package sandbox_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/prowbot/prow/prow/github/sandbox"
	"github.com/prowbot/prow/test/testlog"
)

const hookSecret = "hook-secret"

// received is one webhook the test receiver got.
type received struct {
	Event, Delivery, Signature, UserAgent, ContentType string
	Body                                               []byte
}

// action is the payload's action field.
func (r received) action() string {
	var p struct {
		Action string `json:"action"`
	}
	_ = json.Unmarshal(r.Body, &p) // no action is ""
	return p.Action
}

// name is event.action, as tests compare deliveries.
func (r received) name() string {
	if a := r.action(); a != "" {
		return r.Event + "." + a
	}
	return r.Event
}

// receiver is a webhook endpoint that records deliveries; it answers 500
// to the first failFirst requests.
type receiver struct {
	mu        sync.Mutex
	got       []received
	failFirst int
	requests  int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	if rc.requests <= rc.failFirst {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	rc.got = append(rc.got, received{Event: r.Header.Get("X-GitHub-Event"), Delivery: r.Header.Get("X-GitHub-Delivery"),
		Signature: r.Header.Get("X-Hub-Signature-256"), UserAgent: r.Header.Get("User-Agent"), ContentType: r.Header.Get("Content-Type"), Body: body})
}

func (rc *receiver) all() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// checkPayloads validates every payload received against GitHub's
// published schema of its event and action.
func (rc *receiver) checkPayloads(t *testing.T) {
	t.Helper()
	for _, r := range rc.all() {
		checkPayload(t, r.Event, r.action(), r.Body)
	}
}

// names lists event.action of what was received since from.
func (rc *receiver) names(from int) []string {
	var out []string
	for _, r := range rc.all()[from:] {
		out = append(out, r.name())
	}
	return out
}

func signature(body []byte) string {
	mac := hmac.New(sha256.New, []byte(hookSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// env is a sandbox seeded with testdata/seed.yaml, its webhook receiver
// and a validator that checks every response against GitHub's
// description.
type env struct {
	t     *testing.T
	srv   *sandbox.Server
	url   string
	hooks *receiver
	v     *validator
}

// start runs a sandbox; change adjusts its options.
func start(t *testing.T, change ...func(*sandbox.Options)) *env {
	t.Helper()
	seed, err := sandbox.LoadSeed("testdata/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rc := &receiver{}
	hookSrv := httptest.NewServer(rc)
	t.Cleanup(hookSrv.Close)
	opts := sandbox.Options{Seed: seed, WebhookURL: hookSrv.URL, HMACSecret: []byte(hookSecret), GitDir: t.TempDir(), Logger: testlog.Discard(),
		WebhookBackoff: time.Millisecond}
	for _, c := range change {
		c(&opts)
	}
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{t: t, srv: srv, url: ts.URL, hooks: rc, v: newValidator(t)}
}

// client is go-github, unchanged, acting as the user with token, whose
// every response is validated.
func (e *env) client(token string) *gh.Client {
	e.t.Helper()
	c, err := gh.NewClient(&http.Client{Transport: e.v}).WithAuthToken(token).WithEnterpriseURLs(e.url+"/", e.url+"/")
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// answer is a response, read.
type answer struct {
	code   int
	header http.Header
	body   []byte
}

// do sends a raw REST request (path without /api/v3) as the user with
// token ("" for none), validated like the client's; header holds name,
// value pairs.
func (e *env) do(token, method, path string, body any, header ...string) answer {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		r = e.jsonBody(body)
	}
	if token != "" {
		header = append([]string{"Authorization", "token " + token}, header...)
	}
	return e.call(&http.Client{Transport: e.v}, method, e.url+"/api/v3"+path, r, header...)
}

// admin calls the sandbox's own API.
func (e *env) admin(method, path string, body any) (int, []byte) {
	e.t.Helper()
	a := e.call(http.DefaultClient, method, e.url+"/_sandbox"+path, e.jsonBody(body))
	return a.code, a.body
}

// call sends a request through client and reads the whole answer;
// header holds name, value pairs.
func (e *env) call(client *http.Client, method, url string, body io.Reader, header ...string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k := 0; k+1 < len(header); k += 2 {
		req.Header.Set(header[k], header[k+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return answer{code: resp.StatusCode, header: resp.Header, body: data}
}

// jsonBody is v as JSON, for a request's body.
func (e *env) jsonBody(v any) io.Reader {
	e.t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	return bytes.NewReader(data)
}

// flush waits for every webhook queued so far.
func (e *env) flush() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.srv.Flush(ctx); err != nil {
		e.t.Fatal(err)
	}
}

// must fails the test on an error of a go-github call and returns its
// value.
func must[T any](t *testing.T) func(v T, _ *gh.Response, err error) T {
	return func(v T, _ *gh.Response, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// ok fails the test on an error of a go-github call that returns no value.
func ok(t *testing.T) func(_ *gh.Response, err error) {
	return func(_ *gh.Response, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// pushed adapts (sha, error) to must.
func pushed(sha string, err error) (string, *gh.Response, error) { return sha, nil, err }

// payload decodes a delivery's body.
func payload(t *testing.T, r received) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// dig reads a nested field of a decoded payload: dig(p, "issue", "number").
func dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
