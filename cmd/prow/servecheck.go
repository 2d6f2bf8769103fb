package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/hook"
	"github.com/prowbot/prow/jobs/local"
)

// serveListeners are the sockets `prow serve` opened before it started
// anything: a port in use fails here, before the data dir is touched.
type serveListeners struct {
	main, metrics net.Listener
	// gangway serves the job API (--gangway-port).
	gangway net.Listener
	// isolate wraps jobs' commands with --runner=sandbox.
	isolate func(argv []string, workDir string, writable []string) ([]string, error)
	// containers runs jobs' commands with --runner=container.
	containers local.Containers
}

func (l *serveListeners) Close() {
	for _, ln := range []net.Listener{l.main, l.metrics, l.gangway} {
		if ln != nil {
			_ = ln.Close()
		}
	}
}

// validateSecurity checks the flags of the metrics port and the runner.
func (o *serveOptions) validateSecurity() error {
	switch {
	case o.metricsPort < 0 || o.metricsPort > 65535:
		return fmt.Errorf("--metrics-port %d is not a port", o.metricsPort)
	case o.metricsPort != 0 && o.metricsPort == o.port:
		return errors.New("--metrics-port must differ from --port (leave it at 0 to serve /metrics on --port)")
	case o.gangwayPort < 0 || o.gangwayPort > 65535:
		return fmt.Errorf("--gangway-port %d is not a port", o.gangwayPort)
	case o.gangwayPort != 0 && (o.gangwayPort == o.port || o.gangwayPort == o.metricsPort):
		return errors.New("--gangway-port must differ from --port and --metrics-port")
	case o.runner != "" && o.runner != "host" && o.runner != "sandbox" && o.runner != "container":
		return fmt.Errorf("--runner %q: want host, sandbox or container (or nothing, for the safest that works here)", o.runner)
	}
	return nil
}

// preflight runs every check that needs more than the flags: the HMAC
// secret, the cookie secret and its length, the OAuth config, the trusted
// proxies, and the ports. Nothing is written and nothing started.
func (o *serveOptions) preflight() (*serveListeners, error) {
	o.deckAuth.externalURL = o.external()
	if o.deckAuth.revokedFile == "" {
		o.deckAuth.revokedFile = filepath.Join(o.dataDir, "deck-revoked-sessions")
	}
	if _, err := hook.LoadSecretFile(o.hmacSecretFile); err != nil {
		return nil, fmt.Errorf("--hmac-secret-file: %w", err)
	}
	if err := o.deckAuth.load(); err != nil {
		return nil, err
	}
	l := &serveListeners{}
	if err := o.chooseRunner(context.Background(), l); err != nil {
		return nil, err
	}
	var err error
	if l.main, err = net.Listen("tcp", net.JoinHostPort(o.address, strconv.Itoa(o.port))); err != nil {
		return nil, fmt.Errorf("--port %d: %w", o.port, err)
	}
	if o.metricsPort != 0 {
		if l.metrics, err = net.Listen("tcp", net.JoinHostPort(o.address, strconv.Itoa(o.metricsPort))); err != nil {
			l.Close()
			return nil, fmt.Errorf("--metrics-port %d: %w", o.metricsPort, err)
		}
	}
	if o.gangwayPort != 0 {
		if l.gangway, err = net.Listen("tcp", net.JoinHostPort(o.gangwayAddress, strconv.Itoa(o.gangwayPort))); err != nil {
			l.Close()
			return nil, fmt.Errorf("--gangway-port %d: %w", o.gangwayPort, err)
		}
	}
	return l, nil
}

// botFiles are the files a sandboxed job must not see even where they
// lie in a system directory: secrets, configuration and the data dir.
func (o *serveOptions) botFiles() []string {
	var out []string
	for _, p := range []string{o.github.TokenPath, o.github.AppPrivateKeyPath, o.hmacSecretFile, o.deckAuth.cookieSecretFile,
		o.deckAuth.oauthConfigFile, o.ConfigPath, o.JobConfigPath, o.PluginConfigPath, o.dataDir} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lockFile is the file in --data-dir a running `prow serve` holds locked.
const lockFile = "prow.lock"

// lockDataDir takes the data dir for this process: a second `prow serve`
// on it is refused while this one runs. The lock goes with the process
// (flock), so a killed serve leaves nothing to clean up.
func lockDataDir(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("data dir lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("--data-dir %s is in use by another prow serve (it holds %s)", dir, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// serveMetrics serves /metrics alone on its own listener until ctx ends.
func serveMetrics(ctx context.Context, log *logrus.Entry, ln net.Listener, h http.Handler) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", h)
	if err := serveOn(ctx, log, ln, mux, "Serving metrics", 5*time.Second, nil); err != nil && ctx.Err() == nil {
		log.WithError(err).Error("Metrics server stopped")
	}
}
