package auth_test

import (
	"crypto/tls"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prowbot/prow/deck/auth"
)

func TestCookiePolicy(t *testing.T) {
	tests := []struct {
		name     string
		external string
		proxies  []string
		remote   string
		proto    string
		tls      bool
		want     bool
	}{
		{"plain http", "http://deck", nil, "192.0.2.1:5", "", false, false},
		{"TLS to deck itself", "", nil, "192.0.2.1:5", "", true, true},
		{"an https external URL", "HTTPS://deck", nil, "192.0.2.1:5", "", false, true},
		{"forwarded https without trusted proxies", "", nil, "192.0.2.1:5", "https", false, false},
		{"forwarded https from an untrusted peer", "", []string{"10.0.0.0/8"}, "192.0.2.1:5", "https", false, false},
		{"forwarded https from a trusted prefix", "", []string{"10.0.0.0/8"}, "10.1.2.3:5", "https", false, true},
		{"forwarded https from a trusted address", "", []string{"10.1.2.3"}, "10.1.2.3:5", "HTTPS", false, true},
		{"forwarded https from a trusted IPv6 peer", "", []string{"::1"}, "[::1]:5", "https", false, true},
		{"forwarded http from a trusted proxy", "", []string{"10.0.0.0/8"}, "10.1.2.3:5", "http", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := auth.NewCookiePolicy(tc.external, tc.proxies)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := p.Secure(r); got != tc.want {
				t.Errorf("Secure = %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := auth.NewCookiePolicy("", []string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad prefix was accepted")
	}
}

func TestRevokedSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "revoked")
	now := time.Now()
	r, err := auth.OpenRevoked(path, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Revoke("live", now.Add(time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if err := r.Revoke("old", now.Add(-time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	if err := r.Revoke("bad id", 0); err == nil {
		t.Error("an ID with a space was accepted")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r2, err := auth.OpenRevoked(path, now)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if !r2.IsRevoked("live") || r2.IsRevoked("old") || r2.IsRevoked("never") {
		t.Errorf("after reopening: live %v old %v never %v", r2.IsRevoked("live"), r2.IsRevoked("old"), r2.IsRevoked("never"))
	}
	c := codec(t)
	c.Revoked = r2
	s := auth.NewSession("alice", now)
	rec := httptest.NewRecorder()
	if err := c.SetSession(rec, httptest.NewRequest("GET", "/", nil), s); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(rec.Result().Cookies()[0])
	if _, ok := c.SessionOf(req, now); !ok {
		t.Fatal("a fresh session is refused")
	}
	if err := c.Revoke(s); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.SessionOf(req, now); ok {
		t.Error("a revoked session is accepted")
	}
}
