package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/prow/github/sandbox"
)

// sandboxOptions are the flags of `prow sandbox`.
type sandboxOptions struct {
	seed           string
	port           int
	address        string
	webhookURL     string
	hmacSecretFile string
	gitDir         string
}

func (o *sandboxOptions) Validate() error {
	if o.seed == "" {
		return errors.New("--seed is required (see docs/sandbox.md for the format)")
	}
	if o.webhookURL != "" && o.hmacSecretFile == "" {
		return errors.New("--webhook-url needs --hmac-secret-file to sign deliveries")
	}
	return nil
}

func newSandboxCommand() *cobra.Command {
	o := &sandboxOptions{}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run a GitHub stand-in with a seeded world, for trying the bot and for tests",
		Long: "sandbox serves the parts of GitHub's REST API the bot uses (under / and /api/v3), git over\n" +
			"HTTP (<org>/<repo>.git), and sends a signed webhook to --webhook-url for every change.\n" +
			"Requests act as the user whose token they carry.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	f.StringVar(&o.seed, "seed", "", "seed file describing users, orgs, repos, pull requests and issues")
	f.IntVar(&o.port, "port", 8090, "port to listen on")
	f.StringVar(&o.address, "address", "127.0.0.1", "address to listen on")
	f.StringVar(&o.webhookURL, "webhook-url", "", "where to send webhooks, e.g. http://127.0.0.1:8888/hook")
	f.StringVar(&o.hmacSecretFile, "hmac-secret-file", "", "file holding the secret that signs webhooks")
	f.StringVar(&o.gitDir, "git-dir", "", "where the repositories live (a temporary directory when empty)")
	return cmd
}

func (o *sandboxOptions) run(ctx context.Context) error {
	log := logrus.NewEntry(logrus.StandardLogger()).WithField("component", "sandbox")
	seed, err := sandbox.LoadSeed(o.seed)
	if err != nil {
		return err
	}
	var secret []byte
	if o.hmacSecretFile != "" {
		if secret, err = os.ReadFile(o.hmacSecretFile); err != nil {
			return fmt.Errorf("read HMAC secret: %w", err)
		}
	}
	// git push is on so the bot (cherrypicker) and people with write
	// access can push branches, as on GitHub.
	srv, err := sandbox.New(sandbox.Options{Seed: seed, WebhookURL: o.webhookURL, HMACSecret: trimNewline(secret), GitDir: o.gitDir, GitPush: true, Logger: log})
	if err != nil {
		return err
	}
	defer srv.Close()
	return serveHTTP(ctx, log, o.address, o.port, srv.Handler(), "Sandbox GitHub listening", 10*time.Second, nil)
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
