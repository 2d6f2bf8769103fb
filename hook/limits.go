package hook

import (
	"net"
	"net/http"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/net/netutil"
)

// Limits protect the HTTP server in front of the webhook from clients
// that do not play fair: connections that never send a request, that
// send one slowly, or that open by the thousand. They need no secret to
// do that, so the limits apply before any check of the delivery.
type Limits struct {
	// MaxConnections caps the connections served at once; past it, new
	// ones wait in the kernel's backlog until one closes (0: no cap).
	MaxConnections int
	// HeaderTimeout bounds the time a request's headers may take
	// (default 10s).
	HeaderTimeout time.Duration
	// IdleTimeout closes a keep-alive connection idle for this long
	// (default 2m).
	IdleTimeout time.Duration
}

// AddFlags registers the limits' flags.
func (l *Limits) AddFlags(f *pflag.FlagSet) {
	f.IntVar(&l.MaxConnections, "max-connections", 1024, "connections served at once; more wait until one closes (0: no cap)")
	f.DurationVar(&l.HeaderTimeout, "header-timeout", 10*time.Second, "how long a request's headers may take to arrive")
	f.DurationVar(&l.IdleTimeout, "idle-timeout", 2*time.Minute, "how long an idle keep-alive connection is kept open")
}

// Apply sets the server's timeouts and returns the listener to serve,
// capped at MaxConnections. The body's own deadline is the Server's
// (ServerOptions.BodyTimeout): other handlers on the same server, such
// as deck's live logs, stream for longer.
func (l Limits) Apply(srv *http.Server, ln net.Listener) net.Listener {
	srv.ReadHeaderTimeout = l.HeaderTimeout
	if srv.ReadHeaderTimeout <= 0 {
		srv.ReadHeaderTimeout = 10 * time.Second
	}
	srv.IdleTimeout = l.IdleTimeout
	if srv.IdleTimeout <= 0 {
		srv.IdleTimeout = 2 * time.Minute
	}
	if l.MaxConnections > 0 {
		ln = netutil.LimitListener(ln, l.MaxConnections)
	}
	return ln
}
