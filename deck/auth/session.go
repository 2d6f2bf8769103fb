package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Cookie names.
const (
	SessionCookie = "deck-session"
	stateCookie   = "deck-oauth-state"
)

// SessionLifetime is how long a login lasts.
const SessionLifetime = 7 * 24 * time.Hour

// ErrBadCookie is returned (wrapped) for a cookie that is malformed,
// forged or expired.
var ErrBadCookie = errors.New("invalid or expired cookie")

// Session is the signed content of the session cookie.
type Session struct {
	Login string `json:"login"`
	// ID is random per login; the CSRF token is derived from it.
	ID      string   `json:"id"`
	Expires int64    `json:"exp"`
	Orgs    []string `json:"orgs,omitempty"`
	Teams   []string `json:"teams,omitempty"`
	TeamIDs []int    `json:"team_ids,omitempty"`
}

// Codec signs and checks cookie values with HMAC-SHA256.
type Codec struct {
	secret []byte
	// Policy decides the Secure attribute of the cookies set.
	Policy CookiePolicy
	// Revoked, when set, lists the sessions that logged out.
	Revoked *Revoked
}

// NewCodec returns a codec keyed by secret, which must be at least 32
// bytes.
func NewCodec(secret []byte) (*Codec, error) {
	if len(secret) < 32 {
		return nil, fmt.Errorf("cookie secret is %d bytes, want at least 32", len(secret))
	}
	return &Codec{secret: append([]byte(nil), secret...)}, nil
}

func (c *Codec) mac(purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, c.secret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}

// Encode signs v (as JSON) for a purpose.
func (c *Codec) Encode(purpose string, v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %s cookie: %w", purpose, err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(data) + "." + enc.EncodeToString(c.mac(purpose, data)), nil
}

// Decode checks the signature of a value Encode made for purpose and
// decodes it into v.
func (c *Codec) Decode(purpose, value string, v any) error {
	body, sig, ok := strings.Cut(value, ".")
	if !ok {
		return fmt.Errorf("%s cookie: %w", purpose, ErrBadCookie)
	}
	enc := base64.RawURLEncoding
	data, err1 := enc.DecodeString(body)
	got, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(got, c.mac(purpose, data)) {
		return fmt.Errorf("%s cookie: %w", purpose, ErrBadCookie)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s cookie: %w", purpose, ErrBadCookie)
	}
	return nil
}

// NewSession starts a session for login.
func NewSession(login string, now time.Time) Session {
	return Session{Login: login, ID: RandomToken(), Expires: now.Add(SessionLifetime).Unix()}
}

// SetSession writes the session cookie.
func (c *Codec) SetSession(w http.ResponseWriter, r *http.Request, s Session) error {
	v, err := c.Encode(SessionCookie, s)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: v, Path: "/", HttpOnly: true, Secure: c.Policy.Secure(r),
		SameSite: http.SameSiteLaxMode, Expires: time.Unix(s.Expires, 0)})
	return nil
}

// ClearSession removes the session cookie from the browser. Only
// Revoke stops a copy of it from working.
func (c *Codec) ClearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: c.Policy.Secure(r),
		MaxAge: -1, SameSite: http.SameSiteLaxMode})
}

// Revoke ends a session server-side: its cookie, and every copy of it,
// stops working.
func (c *Codec) Revoke(s Session) error {
	if c.Revoked == nil {
		return errors.New("sessions cannot be revoked: no revocation list")
	}
	return c.Revoked.Revoke(s.ID, s.Expires)
}

// SessionOf returns the request's valid session.
func (c *Codec) SessionOf(r *http.Request, now time.Time) (Session, bool) {
	ck, err := r.Cookie(SessionCookie)
	if err != nil {
		return Session{}, false
	}
	var s Session
	if err := c.Decode(SessionCookie, ck.Value, &s); err != nil || s.Login == "" || now.Unix() > s.Expires {
		return Session{}, false
	}
	if c.Revoked != nil && c.Revoked.IsRevoked(s.ID) {
		return Session{}, false
	}
	return s, true
}

// CSRFToken is the token the forms of a session carry.
func (c *Codec) CSRFToken(sessionID string) string {
	return base64.RawURLEncoding.EncodeToString(c.mac("csrf", []byte(sessionID)))
}

// CheckCSRF compares a submitted token with the session's, in constant
// time.
func (c *Codec) CheckCSRF(sessionID, token string) bool {
	want := c.CSRFToken(sessionID)
	return token != "" && subtle.ConstantTimeCompare([]byte(want), []byte(token)) == 1
}

// RandomToken is 32 random bytes, URL-safe.
func RandomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
