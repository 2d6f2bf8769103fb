package hook

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prowbot/prow/hook/journal"
)

// phonyExamples maps the example payloads shipped with Prow's phony to
// their event types.
var phonyExamples = map[string]string{
	"opened_pr.json":                "pull_request",
	"reopened_pr.json":              "pull_request",
	"push.json":                     "push",
	"lgtm_comment.json":             "issue_comment",
	"test_comment.json":             "issue_comment",
	"review_approve_submitted.json": "pull_request_review",
	"review_changes_submitted.json": "pull_request_review",
	"review_comment_submitted.json": "pull_request_review",
}

func examplePayload(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "test", "testdata", "prow", "phony", "examples", name))
	if err != nil {
		t.Fatalf("the phony examples are expected in test/testdata: %v", err)
	}
	return data
}

// recorder is a Handler that remembers what reached it.
type recorder struct {
	mu   sync.Mutex
	seen []journal.Record
	got  chan string
}

func newRecorder() *recorder { return &recorder{got: make(chan string, 1000)} }

func (r *recorder) handle(_ context.Context, rec journal.Record) {
	r.mu.Lock()
	r.seen = append(r.seen, rec)
	r.mu.Unlock()
	r.got <- rec.ID
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

type testHook struct {
	srv  *Server
	http *httptest.Server
	rec  *recorder
	dir  string
}

func startHook(t *testing.T, secrets Secrets, dir string) *testHook {
	t.Helper()
	j, _, err := journal.Open(journal.Options{Dir: dir, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	srv, err := NewServer(ServerOptions{Secrets: func() Secrets { return secrets }, Journal: j, Handler: rec.handle, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	srv.Run(context.Background())
	h := &testHook{srv: srv, http: httptest.NewServer(srv), rec: rec, dir: dir}
	t.Cleanup(func() {
		h.http.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Stop(ctx)
	})
	return h
}

func (h *testHook) post(t *testing.T, method, event, id, sig, contentType string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, h.http.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if event != "" {
		req.Header.Set("X-GitHub-Event", event)
	}
	if id != "" {
		req.Header.Set("X-GitHub-Delivery", id)
	}
	if sig != "" {
		req.Header.Set("X-Hub-Signature-256", sig)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(text))
}

func (h *testHook) waitHandled(t *testing.T, id string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-h.rec.got:
			if got == id {
				return
			}
		case <-timeout:
			t.Fatalf("delivery %s was not handled", id)
		}
	}
}

func TestEveryPhonyExampleIsAcceptedWithAGoodSignature(t *testing.T) {
	secret := []byte("abcde12345")
	h := startHook(t, Secrets{"*": {{Value: string(secret)}}}, t.TempDir())
	for name, event := range phonyExamples {
		t.Run(name, func(t *testing.T) {
			body := examplePayload(t, name)
			id := "delivery-" + name
			code, text := h.post(t, http.MethodPost, event, id, Sign(secret, body), "application/json", body)
			if code != http.StatusOK || text != "Event received. Have a nice day." {
				t.Fatalf("got %d %q", code, text)
			}
			h.waitHandled(t, id)
		})
	}
}

func TestBadDeliveriesGetProwsAnswersAndReachNoHandler(t *testing.T) {
	orgSecret, otherSecret := []byte("kubernetes-secret"), []byte("someone-else")
	secrets := Secrets{"kubernetes": {{Value: string(orgSecret)}}, "other-org": {{Value: string(otherSecret)}}}
	h := startHook(t, secrets, t.TempDir())
	body := examplePayload(t, "lgtm_comment.json") // repository kubernetes/test-infra
	good := Sign(orgSecret, body)
	huge := append([]byte(`{"pad":"`), bytes.Repeat([]byte("x"), MaxPayloadSize)...)
	huge = append(huge, `"}`...)
	malformed := []byte(`{"repository": {"full_name": "kubernetes/test-infra"`)
	cases := []struct {
		name        string
		method      string
		event, id   string
		sig         string
		contentType string
		body        []byte
		code        int
		text        string
	}{
		{"a GET", http.MethodGet, "issue_comment", "1", good, "application/json", body, 405, "405 Method not allowed"},
		{"no event header", http.MethodPost, "", "2", good, "application/json", body, 400, "400 Bad Request: Missing X-GitHub-Event Header"},
		{"no delivery header", http.MethodPost, "issue_comment", "", good, "application/json", body, 400, "400 Bad Request: Missing X-GitHub-Delivery Header"},
		{"no signature", http.MethodPost, "issue_comment", "3", "", "application/json", body, 403, "403 Forbidden: Missing X-Hub-Signature-256"},
		{"a form content type", http.MethodPost, "issue_comment", "4", good, "application/x-www-form-urlencoded", body, 400, "400 Bad Request: Hook only accepts content-type: application/json - please reconfigure this hook on GitHub"},
		{"a wrong signature", http.MethodPost, "issue_comment", "5", Sign([]byte("guess"), body), "application/json", body, 403, "403 Forbidden: Invalid X-Hub-Signature-256 - signature does not match"},
		{"another org's secret", http.MethodPost, "issue_comment", "6", Sign(otherSecret, body), "application/json", body, 403, "403 Forbidden: Invalid X-Hub-Signature-256 - signature does not match"},
		{"a signature that is not hex", http.MethodPost, "issue_comment", "7", "sha256=zz", "application/json", body, 403, "403 Forbidden: Invalid X-Hub-Signature-256 - signature is not hex"},
		{"an old sha1 signature", http.MethodPost, "issue_comment", "8", "sha1=abc", "application/json", body, 403, "403 Forbidden: Invalid X-Hub-Signature-256 - signature must start with sha256="},
		{"a body over 25 MB", http.MethodPost, "issue_comment", "9", Sign(orgSecret, huge), "application/json", huge, 413, "413 Request Entity Too Large"},
		{"malformed JSON", http.MethodPost, "issue_comment", "10", Sign(orgSecret, malformed), "application/json", malformed, 403, "403 Forbidden: Invalid X-Hub-Signature-256 - invalid payload"},
		{"a repo with no secret configured", http.MethodPost, "issue_comment", "11", Sign(orgSecret, []byte(`{"repository":{"full_name":"nobody/repo"}}`)), "application/json", []byte(`{"repository":{"full_name":"nobody/repo"}}`), 403, "403 Forbidden: Invalid X-Hub-Signature-256 - misconfigured webhook secret from organization/repo: nobody/repo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, text := h.post(t, tc.method, tc.event, tc.id, tc.sig, tc.contentType, tc.body)
			if code != tc.code || !strings.HasPrefix(text, tc.text) {
				t.Errorf("got %d %q, want %d %q", code, text, tc.code, tc.text)
			}
		})
	}
	// A good delivery after all the bad ones is the only one handled.
	if code, _ := h.post(t, http.MethodPost, "issue_comment", "good", good, "application/json", body); code != 200 {
		t.Fatalf("good delivery got %d", code)
	}
	h.waitHandled(t, "good")
	if n := h.rec.count(); n != 1 {
		t.Errorf("%d deliveries reached the handler, want only the good one", n)
	}
}

func TestTokensAtTheMostSpecificLevelRotate(t *testing.T) {
	secrets := Secrets{
		"*":                     {{Value: "global"}},
		"kubernetes":            {{Value: "org-old"}, {Value: "org-new"}},
		"kubernetes/test-infra": {{Value: "repo"}},
	}
	cases := []struct {
		name, body, token string
		ok                bool
	}{
		{"the repo key wins", `{"repository":{"full_name":"kubernetes/test-infra"}}`, "repo", true},
		{"the org key is not tried when the repo has one", `{"repository":{"full_name":"kubernetes/test-infra"}}`, "org-old", false},
		{"the org's old token still works", `{"repository":{"full_name":"kubernetes/kubernetes"}}`, "org-old", true},
		{"the org's new token works", `{"repository":{"full_name":"kubernetes/kubernetes"}}`, "org-new", true},
		{"org-level events use the organization", `{"organization":{"login":"kubernetes"}}`, "org-new", true},
		{"other orgs fall back to *", `{"repository":{"full_name":"etcd-io/etcd"}}`, "global", true},
		{"* is not tried for a configured org", `{"repository":{"full_name":"kubernetes/kubernetes"}}`, "global", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := secrets.Validate(Sign([]byte(tc.token), []byte(tc.body)), []byte(tc.body))
			if (err == nil) != tc.ok {
				t.Errorf("Validate = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestParseSecrets(t *testing.T) {
	cases := []struct {
		name, data string
		wantErr    string
		wantKeys   int
	}{
		{"a raw legacy token", "abcde12345\n", "", 1},
		{"a YAML map", "'*':\n- value: a\n  created_at: 2020-01-01T00:00:00Z\nkubernetes:\n- value: b\n", "", 2},
		{"an empty file", "\n", "empty", 0},
		{"a key without tokens", "kubernetes: []\n", "has no tokens", 0},
		{"a token without value", "kubernetes:\n- created_at: 2020-01-01T00:00:00Z\n", "has no value", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSecrets([]byte(tc.data))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(s) != tc.wantKeys {
				t.Fatalf("got %v, %v; want %d keys", s, err, tc.wantKeys)
			}
		})
	}
}

func TestARedeliveredIDIsHandledOnce(t *testing.T) {
	secret := []byte("s")
	h := startHook(t, Secrets{"*": {{Value: "s"}}}, t.TempDir())
	body := examplePayload(t, "push.json")
	for i := 0; i < 3; i++ {
		if code, _ := h.post(t, http.MethodPost, "push", "same-id", Sign(secret, body), "application/json", body); code != 200 {
			t.Fatalf("attempt %d got %d", i, code)
		}
	}
	h.waitHandled(t, "same-id")
	if code, _ := h.post(t, http.MethodPost, "push", "next-id", Sign(secret, body), "application/json", body); code != 200 {
		t.Fatal("next delivery refused")
	}
	h.waitHandled(t, "next-id")
	if n := h.rec.count(); n != 2 {
		t.Errorf("handled %d deliveries, want 2", n)
	}
}

func TestSecretFileRotationIsPickedUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hmac")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := LoadSecretFile(path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	f.now = func() time.Time { return now }
	if err := os.WriteFile(path, []byte("kubernetes:\n- value: new\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := f.Secrets()["*"]; len(got) != 1 || got[0].Value != "old" {
		t.Fatalf("changed before the recheck interval: %v", f.Secrets())
	}
	now = now.Add(2 * time.Second)
	if got := f.Secrets()["kubernetes"]; len(got) != 1 || got[0].Value != "new" {
		t.Fatalf("rotation not picked up: %v", f.Secrets())
	}
	if err := os.WriteFile(path, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Second)
	if got := f.Secrets()["kubernetes"]; len(got) != 1 {
		t.Fatalf("a broken file should keep the last good secrets: %v", f.Secrets())
	}
}

func TestEventsNoPluginHandlesAreAcceptedToo(t *testing.T) {
	secret := []byte("s")
	h := startHook(t, Secrets{"*": {{Value: "s"}}}, t.TempDir())
	for _, event := range []string{"ping", "check_run", "workflow_run", "installation", "membership", "deployment_status"} {
		t.Run(event, func(t *testing.T) {
			body := []byte(`{"zen":"Keep it logically awesome.","repository":{"full_name":"o/r"},"sender":{"login":"x"}}`)
			code, text := h.post(t, http.MethodPost, event, "id-"+event, Sign(secret, body), "application/json", body)
			if code != http.StatusOK || text != "Event received. Have a nice day." {
				t.Errorf("got %d %q", code, text)
			}
			h.waitHandled(t, "id-"+event)
		})
	}
}
