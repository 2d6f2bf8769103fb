package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	gh "github.com/google/go-github/v60/github"
)

// Client implements every interface of this package over go-github.
type Client struct {
	gh *gh.Client

	botOnce sync.Mutex
	bot     string
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
	if o.TokenPath != "" {
		t, err := newTokenTransport(base, o.TokenPath, o.Now)
		if err != nil {
			return nil, err
		}
		auth, identity = t, t.identity
	} else {
		t, err := newAppTransport(base, endpoint, o.AppID, o.AppPrivateKeyPath)
		if err != nil {
			return nil, err
		}
		auth, identity = t, t.identity
	}
	return newClientWith(endpoint, auth, identity, o)
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
	client := gh.NewClient(&http.Client{Transport: rt})
	if endpoint != DefaultEndpoint {
		api := endpoint + "/"
		var err error
		client, err = client.WithEnterpriseURLs(api, api)
		if err != nil {
			return nil, fmt.Errorf("GitHub endpoint %s: %w", endpoint, err)
		}
	}
	return &Client{gh: client}, nil
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
