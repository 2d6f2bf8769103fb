package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/hook"
)

// serveHTTP listens on address:port, logs msg with the address once
// listening, and serves h until ctx ends. It then shuts the server down
// within grace and runs drain (if any) with the same deadline, for work
// the server accepted but has not finished.
func serveHTTP(ctx context.Context, log *logrus.Entry, address string, port int, h http.Handler, msg string, grace time.Duration,
	drain func(context.Context) error, limits ...hook.Limits) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(address, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return serveOn(ctx, log, ln, h, msg, grace, drain, limits...)
}

// serveOn is serveHTTP on a listener already open. limits (at most one)
// bound connections and their timeouts; without, the default timeouts
// apply and connections are not capped.
func serveOn(ctx context.Context, log *logrus.Entry, ln net.Listener, h http.Handler, msg string, grace time.Duration,
	drain func(context.Context) error, limits ...hook.Limits) error {
	srv := &http.Server{Handler: h}
	var l hook.Limits
	if len(limits) > 0 {
		l = limits[0]
	}
	ln = l.Apply(srv, ln)
	log.WithField("address", ln.Addr().String()).Info(msg)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("Shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		log.WithError(err).Warn("HTTP shutdown did not complete")
	}
	if drain != nil {
		return drain(shutdown)
	}
	return nil
}

// longRunner is what the options of a long-running subcommand provide.
type longRunner interface {
	Validate() error
	run(ctx context.Context) error
}

// runUntilSignal validates the options, then runs until SIGINT or SIGTERM.
func runUntilSignal(o longRunner) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		if err := o.Validate(); err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		return o.run(ctx)
	}
}
