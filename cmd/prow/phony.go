package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/hook"
)

// phonyOptions are the flags of `prow phony`, named as Prow's.
type phonyOptions struct {
	address    string
	secretFile string
	event      string
	payload    string
	timeout    time.Duration
}

func (o *phonyOptions) Validate() error {
	var missing []string
	if o.event == "" {
		missing = append(missing, "--event")
	}
	if o.payload == "" {
		missing = append(missing, "--payload")
	}
	if o.secretFile == "" {
		missing = append(missing, "--hmac-secret-file")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}

func newPhonyCommand() *cobra.Command {
	o := &phonyOptions{}
	cmd := &cobra.Command{
		Use:   "phony",
		Short: "Send one signed webhook, as GitHub would, to debug a deployment",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return err
			}
			return o.run(cmd.Context(), cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.address, "address", "http://localhost:8888/hook", "where to send the webhook")
	f.StringVar(&o.secretFile, "hmac-secret-file", "", "the HMAC secret file hook uses (a raw token or the per-org YAML)")
	f.StringVar(&o.event, "event", "", "the X-GitHub-Event type, e.g. issue_comment")
	f.StringVar(&o.payload, "payload", "", "a file holding the JSON payload")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "how long to wait for the answer")
	return cmd
}

func (o *phonyOptions) run(ctx context.Context, out io.Writer) error {
	body, err := os.ReadFile(o.payload)
	if err != nil {
		return fmt.Errorf("read payload: %w", err)
	}
	secretData, err := os.ReadFile(o.secretFile)
	if err != nil {
		return fmt.Errorf("read HMAC secret: %w", err)
	}
	secrets, err := hook.ParseSecrets(secretData)
	if err != nil {
		return err
	}
	token, err := secrets.SigningToken(body)
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.address, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request to %s: %w", o.address, err)
	}
	req.Header.Set("X-GitHub-Event", o.event)
	req.Header.Set("X-GitHub-Delivery", uuid.NewString())
	req.Header.Set("X-Hub-Signature-256", hook.Sign(token, body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/phony")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("send webhook to %s: %w", o.address, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	fmt.Fprintf(out, "%s %s\n", resp.Status, strings.TrimSpace(string(text)))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errors.New("the webhook was refused")
	}
	return nil
}
