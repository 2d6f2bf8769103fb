package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	gh "github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"
)

// Client implements every interface of this package over go-github.
type Client struct {
	gh *gh.Client
	// v4 is GitHub's GraphQL API, on the same transport stack.
	v4 *githubv4.Client

	botOnce sync.Mutex
	bot     string
	// perOrg: authenticated as a GitHub App, with a token per org, so
	// each GraphQL call must be about one org.
	perOrg bool
	// gitToken gives the token git uses to fetch org's repositories.
	gitToken func(ctx context.Context, org string) (string, error)
}

// NewClient builds the transport stack and the client.
func NewClient(o ClientOptions) (*Client, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.defaults()
	endpoint := strings.TrimSuffix(o.Endpoint, "/")
	base := http.DefaultTransport
	var auth http.RoundTripper
	var identity func(*http.Request) string
	var gitToken func(ctx context.Context, org string) (string, error)
	if o.TokenPath != "" {
		t, err := newTokenTransport(base, o.TokenPath, o.Now)
		if err != nil {
			return nil, err
		}
		auth, identity = t, t.identity
		gitToken = func(context.Context, string) (string, error) { return t.current() }
	} else {
		t, err := newAppTransport(base, endpoint, o.AppID, o.AppPrivateKeyPath)
		if err != nil {
			return nil, err
		}
		auth, identity = t, t.identity
		gitToken = func(ctx context.Context, org string) (string, error) {
			it, err := t.installation(ctx, org)
			if err != nil {
				return "", err
			}
			return it.Token(ctx)
		}
	}
	c, err := newClientWith(endpoint, auth, identity, o)
	if err != nil {
		return nil, err
	}
	c.gitToken, c.perOrg = gitToken, o.TokenPath == ""
	return c, nil
}

// GitCredentials returns the user and password git uses over HTTPS to
// fetch org's repositories as the bot: the token (or, as a GitHub App,
// the org's installation token) with the user GitHub expects.
func (c *Client) GitCredentials(ctx context.Context, org string) (user, password string, err error) {
	if c.gitToken == nil {
		return "", "", nil
	}
	token, err := c.gitToken(ctx, org)
	if err != nil {
		return "", "", fmt.Errorf("git credentials for %s: %w", org, err)
	}
	return "x-access-token", token, nil
}

// newClientWith stacks the layers on an authenticating transport.
func newClientWith(endpoint string, auth http.RoundTripper, identity func(*http.Request) string, o ClientOptions) (*Client, error) {
	metrics := NewMetrics(o.Registerer)
	log := o.Logger.WithField("component", "github")
	var rt http.RoundTripper = &metricsTransport{next: auth, metrics: metrics}
	rt = &retryTransport{next: rt, maxRetries: o.MaxRetries, base: o.Backoff, maxWait: o.MaxWait, sleep: o.Sleep, now: o.Now, metrics: metrics, log: log}
	rt = newCacheTransport(rt, identity, o.CacheBytes, metrics)
	if o.DryRun {
		rt = &dryRunTransport{next: rt, log: log}
	}
	hc := &http.Client{Transport: rt}
	client := gh.NewClient(hc)
	v4 := githubv4.NewEnterpriseClient(graphqlEndpoint(endpoint), hc)
	if endpoint != DefaultEndpoint {
		api := endpoint + "/"
		var err error
		client, err = client.WithEnterpriseURLs(api, api)
		if err != nil {
			return nil, fmt.Errorf("GitHub endpoint %s: %w", endpoint, err)
		}
	}
	return &Client{gh: client, v4: v4}, nil
}

// BotUser returns the login the client acts as, asking GitHub once.
func (c *Client) BotUser(ctx context.Context) (string, error) {
	c.botOnce.Lock()
	defer c.botOnce.Unlock()
	if c.bot != "" {
		return c.bot, nil
	}
	u, _, err := c.gh.Users.Get(ctx, "")
	if err != nil {
		return "", fmt.Errorf("get the bot's own user: %w", err)
	}
	c.bot = u.GetLogin()
	return c.bot, nil
}
