package github

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"
	"github.com/spf13/pflag"
)

// DefaultEndpoint is github.com's API.
const DefaultEndpoint = "https://api.github.com"

// ClientOptions say how to reach and authenticate with GitHub.
type ClientOptions struct {
	// Endpoint is the API base URL: github.com's, GitHub Enterprise's
	// (with or without /api/v3), or the sandbox's.
	Endpoint string
	// TokenPath is a file holding a personal access token.
	TokenPath string
	// AppID and AppPrivateKeyPath authenticate as a GitHub App instead.
	AppID             int64
	AppPrivateKeyPath string
	// DryRun logs writes instead of sending them.
	DryRun bool

	Logger     *logrus.Entry
	Registerer prometheus.Registerer
	// MaxRetries bounds retries of one request (default 8); MaxWait the
	// longest rate-limit wait (default 15m); CacheBytes the conditional
	// request cache (default 64 MiB).
	MaxRetries int
	MaxWait    time.Duration
	CacheBytes int64
	// Backoff is the first retry delay (default 500ms). Sleep and Now are
	// for tests.
	Backoff time.Duration
	Sleep   func(ctx context.Context, d time.Duration) error
	Now     func() time.Time
}

// AddFlags adds Prow's GitHub flags to fs.
func (o *ClientOptions) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Endpoint, "github-endpoint", DefaultEndpoint, "GitHub API endpoint (GitHub Enterprise or the sandbox: their URL)")
	fs.StringVar(&o.TokenPath, "github-token-path", "", "file holding a GitHub personal access token")
	fs.Int64Var(&o.AppID, "github-app-id", 0, "GitHub App ID, to authenticate as an app")
	fs.StringVar(&o.AppPrivateKeyPath, "github-app-private-key-path", "", "file holding the GitHub App's private key (PEM)")
	fs.BoolVar(&o.DryRun, "dry-run", false, "log writes to GitHub instead of sending them")
}

// Validate checks the options and says what is wrong in flag terms.
func (o *ClientOptions) Validate() error {
	u, err := url.Parse(o.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--github-endpoint %q is not an http(s) URL", o.Endpoint)
	}
	switch {
	case o.TokenPath != "" && (o.AppID != 0 || o.AppPrivateKeyPath != ""):
		return errors.New("use either --github-token-path or the --github-app-* flags, not both")
	case o.TokenPath == "" && o.AppID == 0 && o.AppPrivateKeyPath == "":
		return errors.New("GitHub credentials are required: --github-token-path, or --github-app-id with --github-app-private-key-path")
	case (o.AppID != 0) != (o.AppPrivateKeyPath != ""):
		return errors.New("--github-app-id and --github-app-private-key-path go together")
	}
	for _, p := range []string{o.TokenPath, o.AppPrivateKeyPath} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("GitHub credentials: %w", err)
		}
	}
	return nil
}

func (o *ClientOptions) defaults() {
	if o.Endpoint == "" {
		o.Endpoint = DefaultEndpoint
	}
	if o.Logger == nil {
		o.Logger = logrus.NewEntry(logrus.StandardLogger())
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 8
	}
	if o.MaxWait == 0 {
		o.MaxWait = 15 * time.Minute
	}
	if o.CacheBytes == 0 {
		o.CacheBytes = 64 << 20
	}
	if o.Backoff == 0 {
		o.Backoff = 500 * time.Millisecond
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}
