package auth_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prowbot/prow/config"
	"github.com/prowbot/prow/deck/auth"
	prowapi "github.com/prowbot/prow/prow/api/v1"
)

func codec(t *testing.T) *auth.Codec {
	t.Helper()
	c, err := auth.NewCodec([]byte(strings.Repeat("s", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCodec(t *testing.T) {
	c := codec(t)
	v, err := c.Encode("p", map[string]string{"login": "alice"})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := c.Decode("p", v, &got); err != nil || got["login"] != "alice" {
		t.Fatalf("round trip: %v %v", got, err)
	}
	body, sig, _ := strings.Cut(v, ".")
	forged := strings.Replace(body, "a", "b", 1) + "." + sig
	for name, bad := range map[string]string{"forged": forged, "other purpose": v, "no signature": body, "empty": ""} {
		purpose := "p"
		if name == "other purpose" {
			purpose = "q"
		}
		if err := c.Decode(purpose, bad, &got); err == nil {
			t.Errorf("%s value accepted", name)
		}
	}
	if _, err := auth.NewCodec([]byte("short")); err == nil {
		t.Error("a short secret was accepted")
	}
}

func TestSessionAndCSRF(t *testing.T) {
	c := codec(t)
	now := time.Now()
	s := auth.NewSession("alice", now)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	if err := c.SetSession(rec, req, s); err != nil {
		t.Fatal(err)
	}
	ck := rec.Result().Cookies()[0]
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie flags %+v", ck)
	}
	req.AddCookie(ck)
	got, ok := c.SessionOf(req, now)
	if !ok || got.Login != "alice" {
		t.Fatalf("session %+v %v", got, ok)
	}
	if _, ok := c.SessionOf(req, now.Add(auth.SessionLifetime+time.Hour)); ok {
		t.Error("an expired session was accepted")
	}
	tok := c.CSRFToken(got.ID)
	if !c.CheckCSRF(got.ID, tok) || c.CheckCSRF(got.ID, "") || c.CheckCSRF("other", tok) {
		t.Error("CSRF check is wrong")
	}
}

func TestAllowed(t *testing.T) {
	u := auth.User{Login: "Alice", Orgs: []string{"acme"}, Teams: []string{"acme/release"}, TeamIDs: []int{7}}
	tests := []struct {
		name string
		cfg  *prowapi.RerunAuthConfig
		want bool
	}{
		{"nil config allows nobody", nil, false},
		{"allow anyone", &prowapi.RerunAuthConfig{AllowAnyone: true}, true},
		{"named user, any case", &prowapi.RerunAuthConfig{GitHubUsers: []string{"alice"}}, true},
		{"another user", &prowapi.RerunAuthConfig{GitHubUsers: []string{"bob"}}, false},
		{"member of an org", &prowapi.RerunAuthConfig{GitHubOrgs: []string{"acme"}}, true},
		{"member of a team slug", &prowapi.RerunAuthConfig{GitHubTeamSlugs: []prowapi.GitHubTeamSlug{{Org: "acme", Slug: "release"}}}, true},
		{"member of a team id", &prowapi.RerunAuthConfig{GitHubTeamIDs: []int{7}}, true},
		{"not in the team", &prowapi.RerunAuthConfig{GitHubTeamIDs: []int{8}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := auth.Allowed(tc.cfg, u); got != tc.want {
				t.Errorf("Allowed = %v, want %v", got, tc.want)
			}
		})
	}
	if auth.Allowed(&prowapi.RerunAuthConfig{AllowAnyone: true}, auth.User{}) {
		t.Error("an anonymous user was allowed")
	}
}

func TestRerunAuthFor(t *testing.T) {
	own := &prowapi.RerunAuthConfig{GitHubUsers: []string{"own"}}
	deck := &config.Deck{
		RerunAuthConfigs: map[string]prowapi.RerunAuthConfig{"*": {GitHubUsers: []string{"star"}}, "acme": {GitHubUsers: []string{"org"}}, "acme/widget": {GitHubUsers: []string{"repo"}}},
	}
	job := func(org, repo string, cfg *prowapi.RerunAuthConfig) *prowapi.ProwJob {
		return &prowapi.ProwJob{Spec: prowapi.ProwJobSpec{Refs: &prowapi.Refs{Org: org, Repo: repo}, RerunAuthConfig: cfg}}
	}
	tests := []struct {
		name string
		pj   *prowapi.ProwJob
		want string
	}{
		{"the job's own config wins", job("acme", "widget", own), "own"},
		{"then the repo's", job("acme", "widget", nil), "repo"},
		{"then the org's", job("acme", "gadget", nil), "org"},
		{"then the default", job("other", "x", nil), "star"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := auth.RerunAuthFor(tc.pj, deck); got == nil || got.GitHubUsers[0] != tc.want {
				t.Errorf("got %+v, want %s", got, tc.want)
			}
		})
	}
	d2 := &config.Deck{DefaultRerunAuthConfigs: []*config.DefaultRerunAuthConfigEntry{
		{OrgRepo: "*", Config: &prowapi.RerunAuthConfig{GitHubUsers: []string{"any"}}},
		{OrgRepo: "acme/widget", Config: &prowapi.RerunAuthConfig{GitHubUsers: []string{"exact"}}},
	}}
	if got := auth.RerunAuthFor(job("acme", "widget", nil), d2); got.GitHubUsers[0] != "exact" {
		t.Errorf("default entries: %+v", got)
	}
}

// TestOAuthFlow runs the login against a GitHub made of httptest
// handlers: authorize redirect, code exchange, user, orgs and teams.
func TestOAuthFlow(t *testing.T) {
	gh := http.NewServeMux()
	gh.HandleFunc("POST /login/oauth/access_token", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("code") != "the-code" || r.FormValue("client_secret") != "shh" {
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "bad_verification_code"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"access_token": "tok"})
	})
	authed := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer tok" {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			h(w, r)
		}
	}
	gh.HandleFunc("GET /user", authed(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"login":"alice"}`)) }))
	gh.HandleFunc("GET /user/orgs", authed(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`[{"login":"acme"}]`)) }))
	gh.HandleFunc("GET /user/teams", authed(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`[{"id":7,"slug":"release","organization":{"login":"acme"}}]`))
	}))
	srv := httptest.NewServer(gh)
	defer srv.Close()
	cfg := &auth.OAuthConfig{ClientID: "id", ClientSecret: "shh", RedirectURL: "https://deck/github-login/redirect", WebURL: srv.URL, APIURL: srv.URL, Scopes: []string{"read:org"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	c := codec(t)
	o := &auth.OAuth{Config: cfg, Codec: c, Client: srv.Client(), Now: time.Now}

	rec := httptest.NewRecorder()
	o.Login(rec, httptest.NewRequest("GET", "/github-login?dest=/view/x", nil))
	loc, _ := url.Parse(rec.Header().Get("Location"))
	if rec.Code != http.StatusFound || loc.Path != "/login/oauth/authorize" || loc.Query().Get("client_id") != "id" || loc.Query().Get("scope") != "read:org" {
		t.Fatalf("login redirect %d %s", rec.Code, loc)
	}
	state := loc.Query().Get("state")
	stateCookie := rec.Result().Cookies()[0]

	t.Run("a wrong state is refused", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/github-login/redirect?code=the-code&state=wrong", nil)
		req.AddCookie(stateCookie)
		if _, _, err := o.Callback(httptest.NewRecorder(), req); err == nil {
			t.Error("accepted")
		}
	})
	t.Run("a callback without the state cookie is refused", func(t *testing.T) {
		if _, _, err := o.Callback(httptest.NewRecorder(), httptest.NewRequest("GET", "/github-login/redirect?code=the-code&state="+state, nil)); err == nil {
			t.Error("accepted")
		}
	})
	t.Run("the right state and code start a session", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/github-login/redirect?code=the-code&state="+state, nil)
		req.AddCookie(stateCookie)
		rec := httptest.NewRecorder()
		login, dest, err := o.Callback(rec, req)
		if err != nil || login != "alice" || dest != "/view/x" {
			t.Fatalf("callback %q %q %v", login, dest, err)
		}
		next := httptest.NewRequest("GET", "/", nil)
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == auth.SessionCookie {
				next.AddCookie(ck)
			}
		}
		s, ok := c.SessionOf(next, time.Now())
		if !ok || s.Login != "alice" || s.Orgs[0] != "acme" || s.Teams[0] != "acme/release" || s.TeamIDs[0] != 7 {
			t.Errorf("session %+v %v", s, ok)
		}
	})
	t.Run("a login asked to return off site returns home", func(t *testing.T) {
		rec := httptest.NewRecorder()
		o.Login(rec, httptest.NewRequest("GET", "/github-login?dest=%2F%09%2Fevil.example%2F", nil))
		loc, _ := url.Parse(rec.Header().Get("Location"))
		req := httptest.NewRequest("GET", "/github-login/redirect?code=the-code&state="+loc.Query().Get("state"), nil)
		req.AddCookie(rec.Result().Cookies()[0])
		if _, dest, err := o.Callback(httptest.NewRecorder(), req); err != nil || dest != "/" {
			t.Errorf("callback dest %q %v, want /", dest, err)
		}
	})
	t.Run("a bad code is refused", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/github-login/redirect?code=bad&state="+state, nil)
		req.AddCookie(stateCookie)
		if _, _, err := o.Callback(httptest.NewRecorder(), req); err == nil {
			t.Error("accepted")
		}
	})
}

func TestSafeDest(t *testing.T) {
	tests := []struct {
		name, dest, want string
	}{
		{"a path with a query and fragment stays", "/view/x?y=1#z", "/view/x?y=1#z"},
		{"the root stays", "/", "/"},
		{"an escaped path stays as it is", "/view/a%2Fb", "/view/a%2Fb"},
		{"empty goes home", "", "/"},
		{"a relative path goes home", "view/x", "/"},
		{"a scheme-relative URL goes home", "//evil.example", "/"},
		{"an absolute URL goes home", "https://evil.example/", "/"},
		{"a javascript URL goes home", "javascript:alert(1)", "/"},
		{"a backslash after the slash goes home", "/\\evil.example", "/"},
		{"a backslash anywhere goes home", "/view\\..\\x", "/"},
		{"a tab between slashes goes home (the issue's case)", "/\t/evil.example/", "/"},
		{"a newline between slashes goes home", "/\n/evil.example/", "/"},
		{"a carriage return goes home", "/\r/evil.example", "/"},
		{"a space goes home", "/ /evil.example", "/"},
		{"a leading space goes home", " /view", "/"},
		{"a trailing tab goes home", "/view\t", "/"},
		{"a NUL goes home", "/view\x00x", "/"},
		{"DEL goes home", "/view\x7f", "/"},
		{"a non-breaking space goes home", "/\u00a0/evil.example", "/"},
		{"an ideographic space goes home", "/\u3000/evil.example", "/"},
		{"a zero-width space goes home", "/\u200b/evil.example", "/"},
		{"a line separator goes home", "/\u2028/evil.example", "/"},
		{"invalid UTF-8 goes home", "/view/\xff", "/"},
		{"a bad escape goes home", "/view/%zz", "/"},
		{"a user part cannot sneak in", "//user@evil.example", "/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := auth.SafeDest(tc.dest); got != tc.want {
				t.Errorf("SafeDest(%q) = %q, want %q", tc.dest, got, tc.want)
			}
		})
	}
}
