package main

import (
	"context"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"
)

// servePprof serves Go's profiling endpoints (/debug/pprof/) on
// 127.0.0.1:port until ctx ends, as Prow's components do on their
// --pprof-port; port 0 serves nothing. Only loopback: a profile shows
// the process's internals.
func servePprof(ctx context.Context, log *logrus.Entry, port int) {
	if port <= 0 {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() {
		if err := serveHTTP(ctx, log, "127.0.0.1", port, mux, "Profiling endpoints listening", 5*time.Second, nil); err != nil && ctx.Err() == nil {
			log.WithError(err).WithField("port", strconv.Itoa(port)).Error("Profiling endpoints stopped")
		}
	}()
}
