package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"
)

// serveHTTP listens on address:port, logs msg with the address once
// listening, and serves h until ctx ends. It then shuts the server down
// within grace and runs drain (if any) with the same deadline, for work
// the server accepted but has not finished.
func serveHTTP(ctx context.Context, log *logrus.Entry, address string, port int, h http.Handler, msg string, grace time.Duration, drain func(context.Context) error) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(address, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
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
