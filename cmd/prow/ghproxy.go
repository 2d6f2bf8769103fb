package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/prowbot/prow/ghproxy"
	"github.com/prowbot/prow/prow/github"
)

// ghproxyOptions are the flags of `prow ghproxy`, named as Prow's.
type ghproxyOptions struct {
	port, metricsPort, healthPort int
	upstream                      string
	cacheDir                      string
	cacheSizeGB, cacheSizeMB      int
	writeMS, readMS, graphqlMS    int
	maxDelaySeconds               int
	maxConcurrency                int
	requestTimeoutSeconds         int
	logLevel                      string
}

func newGHProxyCommand() *cobra.Command {
	o := &ghproxyOptions{}
	cmd := &cobra.Command{
		Use:   "ghproxy",
		Short: "Serve a caching proxy of GitHub's API that every component can share",
		Long: "ghproxy serves GitHub's API (REST at / and /api/v3/, GraphQL at /graphql and /api/graphql) from a\n" +
			"cache revalidated with conditional requests, which GitHub does not charge for: point each\n" +
			"component's --github-endpoint at it and N components spend the budget of one. Responses are\n" +
			"cached per token, on disk with --cache-dir (kept across restarts) or in memory; identical\n" +
			"requests in flight are coalesced; each token's reads, writes and GraphQL queries are spaced\n" +
			"by the --*throttling-time-ms flags. Metrics (ghproxy_*) are on --metrics-port.",
		Args: cobra.NoArgs,
		RunE: runUntilSignal(o),
	}
	f := cmd.Flags()
	f.IntVar(&o.port, "port", 8888, "port to serve the API on")
	f.IntVar(&o.metricsPort, "metrics-port", 9090, "port of /metrics (0: none)")
	f.IntVar(&o.healthPort, "health-port", 8081, "port of /healthz (0: none)")
	f.StringVar(&o.upstream, "upstream", github.DefaultEndpoint, "GitHub's API, as --github-endpoint takes it")
	f.StringVar(&o.cacheDir, "cache-dir", "", "directory of the response cache (empty: in memory)")
	f.IntVar(&o.cacheSizeGB, "cache-sizeGB", 1, "size limit of the cache, in GB")
	f.IntVar(&o.cacheSizeMB, "cache-size-mb", 0, "size limit of the cache, in MB (overrides --cache-sizeGB)")
	f.IntVar(&o.writeMS, "throttling-time-ms", 0, "least time between two writes of one token, in ms (0: no spacing)")
	f.IntVar(&o.readMS, "get-throttling-time-ms", 0, "least time between two reads of one token, in ms (0: no spacing)")
	f.IntVar(&o.graphqlMS, "throttling-time-v4-ms", 0, "least time between two GraphQL requests of one token, in ms (0: no spacing)")
	f.IntVar(&o.maxDelaySeconds, "throttling-max-delay-duration-seconds", 30, "longest a request waits for its turn, in seconds; it then goes")
	f.IntVar(&o.maxConcurrency, "max-concurrency", 25, "requests in flight to GitHub at most (0: no cap)")
	f.IntVar(&o.requestTimeoutSeconds, "request-timeout", 120, "longest one request to GitHub may take, in seconds")
	f.StringVar(&o.logLevel, "log-level", "info", "log level")
	return cmd
}

func (o *ghproxyOptions) Validate() error {
	if _, err := logrus.ParseLevel(o.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	for name, v := range map[string]int{"--cache-sizeGB": o.cacheSizeGB, "--cache-size-mb": o.cacheSizeMB, "--throttling-time-ms": o.writeMS,
		"--get-throttling-time-ms": o.readMS, "--throttling-time-v4-ms": o.graphqlMS, "--max-concurrency": o.maxConcurrency} {
		if v < 0 {
			return fmt.Errorf("%s is %d; it cannot be negative", name, v)
		}
	}
	if o.cacheSizeGB == 0 && o.cacheSizeMB == 0 {
		return errors.New("--cache-sizeGB is 0: give the cache some room (or --cache-size-mb)")
	}
	if o.requestTimeoutSeconds <= 0 || o.maxDelaySeconds <= 0 {
		return errors.New("--request-timeout and --throttling-max-delay-duration-seconds must be positive")
	}
	return nil
}

func (o *ghproxyOptions) run(ctx context.Context) error {
	log := newLogger(o.logLevel).WithField("component", "ghproxy")
	reg := newRegistry()
	size := int64(o.cacheSizeGB) << 30
	if o.cacheSizeMB > 0 {
		size = int64(o.cacheSizeMB) << 20
	}
	ms := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	p, err := ghproxy.New(ghproxy.Options{
		Upstream: o.upstream, CacheDir: o.cacheDir, CacheBytes: size,
		ReadSpacing: ms(o.readMS), WriteSpacing: ms(o.writeMS), GraphQLSpacing: ms(o.graphqlMS),
		MaxDelay: time.Duration(o.maxDelaySeconds) * time.Second, MaxConcurrency: o.maxConcurrency,
		RequestTimeout: time.Duration(o.requestTimeoutSeconds) * time.Second,
		Registerer:     reg, Logger: log,
	})
	if err != nil {
		return err
	}
	opsServer(ctx, log, o.metricsPort, o.healthPort, reg, nil)
	log.WithField("upstream", o.upstream).WithField("cache", cacheWhere(o.cacheDir)).Info("Proxying GitHub's API")
	return serveHTTP(ctx, log, "", o.port, p, "ghproxy listening", 10*time.Second, nil)
}

func cacheWhere(dir string) string {
	if dir == "" {
		return "memory"
	}
	return dir
}
