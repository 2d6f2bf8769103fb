package deck_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck"
	"github.com/prowbot/prow/deck/auth"
	"github.com/prowbot/prow/jobs/memstore"
)

// fakeGitHubOAuth is GitHub's OAuth web flow and user API, as httptest
// handlers: any code logs in as login.
func fakeGitHubOAuth(t *testing.T, login string) *httptest.Server {
	t.Helper()
	gh := http.NewServeMux()
	gh.HandleFunc("POST /login/oauth/access_token", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"access_token": "tok"})
	})
	gh.HandleFunc("GET /user", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"login":"` + login + `"}`)) })
	gh.HandleFunc("GET /user/orgs", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`[]`)) })
	gh.HandleFunc("GET /user/teams", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`[]`)) })
	srv := httptest.NewServer(gh)
	t.Cleanup(srv.Close)
	return srv
}

// withLogin makes the fixture's deck log users in through GitHub's OAuth
// flow instead of the test cookie.
func withLogin(gh *httptest.Server, external string, proxies []string, revoked string) fixtureOptions {
	return func(o *deck.Options) {
		o.Authenticate = nil
		o.OAuth = &auth.OAuthConfig{ClientID: "id", ClientSecret: "shh", RedirectURL: "http://deck/github-login/redirect", WebURL: gh.URL, APIURL: gh.URL}
		o.HTTPClient = gh.Client()
		o.ExternalURL, o.TrustedProxies, o.RevokedSessionsFile = external, proxies, revoked
	}
}

// noRedirects is a client that shows redirects instead of following
// them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// answer is what send got back, the body read and closed.
type answer struct {
	StatusCode int
	Header     http.Header
	cookies    []*http.Cookie
}

func (a answer) Cookies() []*http.Cookie { return a.cookies }

func send(t *testing.T, method, u string, cookies []*http.Cookie, form url.Values, header http.Header) (answer, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{StatusCode: resp.StatusCode, Header: resp.Header, cookies: resp.Cookies()}, string(data)
}

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// login runs the OAuth flow through deck with dest and returns the
// callback's answer.
func (f *fixture) login(t *testing.T, dest string, header http.Header) answer {
	t.Helper()
	resp, _ := send(t, "GET", f.http.URL+"/github-login?dest="+url.QueryEscape(dest), nil, nil, header)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	cb, body := send(t, "GET", f.http.URL+"/github-login/redirect?code=c&state="+url.QueryEscape(loc.Query().Get("state")), resp.Cookies(), nil, header)
	if cb.StatusCode != http.StatusFound {
		t.Fatalf("callback: status %d: %s", cb.StatusCode, body)
	}
	return cb
}

func TestLoginStaysOnSite(t *testing.T) {
	gh := fakeGitHubOAuth(t, allowedUser)
	f := newFixture(t, withLogin(gh, "", nil, ""))
	for _, tc := range []struct{ dest, want string }{
		{"/\t/evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"https://evil.example/", "/"},
		{"/ /evil.example", "/"},
		{"/view/prowjob/" + finishedPR + "?x=1", "/view/prowjob/" + finishedPR + "?x=1"},
	} {
		t.Run(tc.dest, func(t *testing.T) {
			if got := f.login(t, tc.dest, nil).Header.Get("Location"); got != tc.want {
				t.Errorf("after login with dest %q: Location %q, want %q", tc.dest, got, tc.want)
			}
		})
	}
}

func TestSecureCookies(t *testing.T) {
	gh := fakeGitHubOAuth(t, allowedUser)
	https := http.Header{"X-Forwarded-Proto": {"https"}}
	tests := []struct {
		name     string
		external string
		proxies  []string
		header   http.Header
		secure   bool
	}{
		{"plain http", "http://127.0.0.1:8080", nil, nil, false},
		{"an https external URL", "https://prow.example.com", nil, nil, true},
		{"X-Forwarded-Proto from an untrusted peer is ignored", "", []string{"10.0.0.0/8"}, https, false},
		{"X-Forwarded-Proto from a trusted proxy", "", []string{"127.0.0.0/8"}, https, true},
		{"a trusted proxy saying http", "", []string{"127.0.0.1"}, http.Header{"X-Forwarded-Proto": {"http"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, withLogin(gh, tc.external, tc.proxies, ""))
			start, _ := send(t, "GET", f.http.URL+"/github-login?dest=/", nil, nil, tc.header)
			cb := f.login(t, "/", tc.header)
			for _, c := range []*http.Cookie{cookieNamed(start.Cookies(), "deck-oauth-state"), cookieNamed(cb.Cookies(), auth.SessionCookie)} {
				if c == nil {
					t.Fatal("a cookie is missing")
				}
				if c.Secure != tc.secure || !c.HttpOnly {
					t.Errorf("cookie %s: Secure %v HttpOnly %v, want Secure %v", c.Name, c.Secure, c.HttpOnly, tc.secure)
				}
			}
		})
	}
	t.Run("a bad trusted proxy is refused", func(t *testing.T) {
		store := memstore.New()
		o := deck.Options{Lister: store, Getter: store, Config: func() *config.Config { return &config.Config{} }, CookieSecret: []byte(strings.Repeat("k", 32))}
		withLogin(gh, "", []string{"not-an-ip"}, "")(&o)
		if _, err := deck.New(o); err == nil || !strings.Contains(err.Error(), "not-an-ip") {
			t.Errorf("accepted or the wrong error: %v", err)
		}
	})
}

func TestLogoutEndsTheSession(t *testing.T) {
	gh := fakeGitHubOAuth(t, allowedUser)
	revoked := filepath.Join(t.TempDir(), "revoked")
	f := newFixture(t, withLogin(gh, "", nil, revoked))
	session := cookieNamed(f.login(t, "/", nil).Cookies(), auth.SessionCookie)
	copied := []*http.Cookie{{Name: session.Name, Value: session.Value}}
	loggedIn := func(g *fixture) bool {
		_, body := send(t, "GET", g.http.URL+"/", copied, nil, nil)
		return strings.Contains(body, `id="user">`+allowedUser+`<`)
	}
	if !loggedIn(f) {
		t.Fatal("the session does not work before logout")
	}
	_, page := send(t, "GET", f.http.URL+"/", copied, nil, nil)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the page")
	}
	resp, body := send(t, "POST", f.http.URL+"/logout", copied, url.Values{"csrf": {m[1]}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d: %s", resp.StatusCode, body)
	}
	if c := cookieNamed(resp.Cookies(), auth.SessionCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("logout does not clear the cookie: %+v", c)
	}
	if loggedIn(f) {
		t.Error("a copy of the session cookie still works after logout")
	}
	if resp, _ := send(t, "POST", f.http.URL+"/rerun", copied, url.Values{"csrf": {m[1]}, "job": {finishedPR}}, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("rerun with the copied cookie: status %d, want 401", resp.StatusCode)
	}
	if len(f.reruns) != 0 {
		t.Errorf("reruns started: %v", f.reruns)
	}
	// The same data after a restart: the session stays dead.
	f.http.Close()
	_ = f.server.Close()
	g := newFixture(t, withLogin(gh, "", nil, revoked))
	if loggedIn(g) {
		t.Error("the logged-out session works again after a restart")
	}
	other := cookieNamed(g.login(t, "/", nil).Cookies(), auth.SessionCookie)
	copied = []*http.Cookie{other}
	if !loggedIn(g) {
		t.Error("a new login does not work")
	}
}

func TestStateChangingRoutesRefuseGET(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/rerun", "/abort", "/logout"} {
		for _, method := range []string{"GET", "HEAD", "PUT"} {
			t.Run(method+" "+path, func(t *testing.T) {
				rec := f.do(method, path+"?job="+finishedPR, allowedUser, nil)
				if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
					t.Errorf("%s %s: status %d Allow %q, want 405 POST", method, path, rec.Code, rec.Header().Get("Allow"))
				}
			})
		}
	}
	if len(f.reruns)+len(f.aborts) != 0 {
		t.Errorf("actions ran: %v %v", f.reruns, f.aborts)
	}
}
