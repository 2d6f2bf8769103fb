package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sigs.k8s.io/yaml"
)

// OAuthConfig is the GitHub OAuth app deck logs users in with: Prow's
// github-oauth-config file, plus the GitHub addresses for GitHub
// Enterprise or the sandbox.
type OAuthConfig struct {
	ClientID         string   `json:"client_id"`
	ClientSecret     string   `json:"client_secret"`
	RedirectURL      string   `json:"redirect_url"`
	FinalRedirectURL string   `json:"final_redirect_url,omitempty"`
	Scopes           []string `json:"scopes,omitempty"`
	// WebURL is where users authorize the app (https://github.com).
	WebURL string `json:"github_url,omitempty"`
	// APIURL is GitHub's API (https://api.github.com).
	APIURL string `json:"api_url,omitempty"`
}

// LoadOAuthConfig reads an OAuth config file (YAML or JSON).
func LoadOAuthConfig(path string) (*OAuthConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read GitHub OAuth config %s: %w", path, err)
	}
	var c OAuthConfig
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		return nil, fmt.Errorf("parse GitHub OAuth config %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("GitHub OAuth config %s: %w", path, err)
	}
	return &c, nil
}

// Validate checks the required fields and fills in GitHub's addresses.
func (c *OAuthConfig) Validate() error {
	switch {
	case c.ClientID == "":
		return errors.New("client_id is empty")
	case c.ClientSecret == "":
		return errors.New("client_secret is empty")
	case c.RedirectURL == "":
		return errors.New("redirect_url is empty")
	}
	if c.WebURL == "" {
		c.WebURL = "https://github.com"
	}
	if c.APIURL == "" {
		c.APIURL = "https://api.github.com"
	}
	c.WebURL, c.APIURL = strings.TrimSuffix(c.WebURL, "/"), strings.TrimSuffix(c.APIURL, "/")
	return nil
}

// maxListed caps the organizations and teams kept in a session cookie.
const maxListed = 40

// OAuth runs GitHub's OAuth web flow and starts sessions.
type OAuth struct {
	Config *OAuthConfig
	Codec  *Codec
	Client *http.Client
	Now    func() time.Time
}

type oauthState struct {
	State string `json:"s"`
	Dest  string `json:"d"`
	Exp   int64  `json:"e"`
}

// SafeDest returns dest when it is a same-origin relative URL, a path
// on this site, else "/". Browsers strip tabs and newlines from URLs and
// read a backslash as a slash, so "/\t/evil.example" and "/\\evil.example"
// lead off site: dest must start with exactly one "/" (not "//" or
// "/\\"), hold no backslash, no whitespace and no control or invisible
// character anywhere, be valid UTF-8, and parse with net/url with no
// scheme, host or user. Nothing is stripped: what fails is refused.
func SafeDest(dest string) string {
	if !strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//") || strings.ContainsRune(dest, '\\') || !utf8.ValidString(dest) {
		return "/"
	}
	for _, r := range dest {
		if r == ' ' || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return "/"
		}
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return dest
}

// Login sends the user to GitHub to authorize the app; ?dest= is where
// to come back to.
func (o *OAuth) Login(w http.ResponseWriter, r *http.Request) {
	st := oauthState{State: RandomToken(), Dest: SafeDest(r.URL.Query().Get("dest")), Exp: o.Now().Add(10 * time.Minute).Unix()}
	v, err := o.Codec.Encode(stateCookie, st)
	if err != nil {
		http.Error(w, "cannot start login", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: v, Path: "/", HttpOnly: true, Secure: o.Codec.Policy.Secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: 600})
	q := url.Values{"client_id": {o.Config.ClientID}, "redirect_uri": {o.Config.RedirectURL}, "state": {st.State}}
	if len(o.Config.Scopes) > 0 {
		q.Set("scope", strings.Join(o.Config.Scopes, " "))
	}
	http.Redirect(w, r, o.Config.WebURL+"/login/oauth/authorize?"+q.Encode(), http.StatusFound)
}

// Callback finishes the flow: checks the state, trades the code for a
// token, asks GitHub who the user is and starts the session. It returns
// the login, or an error to show.
func (o *OAuth) Callback(w http.ResponseWriter, r *http.Request) (string, string, error) {
	ck, err := r.Cookie(stateCookie)
	if err != nil {
		return "", "", errors.New("the login was not started here or took too long; log in again")
	}
	var st oauthState
	if err := o.Codec.Decode(stateCookie, ck.Value, &st); err != nil || o.Now().Unix() > st.Exp || st.State != r.URL.Query().Get("state") {
		return "", "", errors.New("the login state does not match; log in again")
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: o.Codec.Policy.Secure(r)})
	code := r.URL.Query().Get("code")
	if code == "" {
		return "", "", errors.New("GitHub did not send an authorization code")
	}
	token, err := o.exchange(r.Context(), code)
	if err != nil {
		return "", "", err
	}
	id, err := o.identity(r.Context(), token)
	if err != nil {
		return "", "", err
	}
	s := NewSession(id.Login, o.Now())
	s.Orgs, s.Teams, s.TeamIDs = id.Orgs, id.Teams, id.TeamIDs
	if err := o.Codec.SetSession(w, r, s); err != nil {
		return "", "", err
	}
	dest := st.Dest
	if o.Config.FinalRedirectURL != "" && dest == "/" {
		dest = o.Config.FinalRedirectURL
	}
	return id.Login, dest, nil
}

func (o *OAuth) exchange(ctx context.Context, code string) (string, error) {
	form := url.Values{"client_id": {o.Config.ClientID}, "client_secret": {o.Config.ClientSecret}, "code": {code}, "redirect_uri": {o.Config.RedirectURL}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.Config.WebURL+"/login/oauth/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("exchange GitHub authorization code: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	var out struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := o.do(req, &out); err != nil {
		return "", fmt.Errorf("exchange GitHub authorization code: %w", err)
	}
	if out.AccessToken == "" {
		return "", fmt.Errorf("exchange GitHub authorization code: %s %s", out.Error, out.Description)
	}
	return out.AccessToken, nil
}

// Identity is who a session belongs to: the login and, when the app was
// granted read:org, the organizations and teams.
type Identity struct {
	Login   string
	Orgs    []string
	Teams   []string // org/slug
	TeamIDs []int
}

func (o *OAuth) identity(ctx context.Context, token string) (Identity, error) {
	var user struct {
		Login string `json:"login"`
	}
	if err := o.get(ctx, token, "/user", &user); err != nil {
		return Identity{}, fmt.Errorf("get GitHub user: %w", err)
	}
	if user.Login == "" {
		return Identity{}, errors.New("get GitHub user: no login in the answer")
	}
	id := Identity{Login: user.Login}
	var orgs []struct {
		Login string `json:"login"`
	}
	if o.get(ctx, token, "/user/orgs?per_page=100", &orgs) == nil {
		for _, org := range orgs[:min(len(orgs), maxListed)] {
			id.Orgs = append(id.Orgs, org.Login)
		}
	}
	var teams []struct {
		ID   int    `json:"id"`
		Slug string `json:"slug"`
		Org  struct {
			Login string `json:"login"`
		} `json:"organization"`
	}
	if o.get(ctx, token, "/user/teams?per_page=100", &teams) == nil {
		for _, t := range teams[:min(len(teams), maxListed)] {
			id.Teams = append(id.Teams, t.Org.Login+"/"+t.Slug)
			id.TeamIDs = append(id.TeamIDs, t.ID)
		}
	}
	return id, nil
}

func (o *OAuth) get(ctx context.Context, token, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.Config.APIURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	return o.do(req, v)
}

func (o *OAuth) do(req *http.Request, v any) error {
	resp, err := o.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode %s: %w", req.URL.Path, err)
	}
	return nil
}
