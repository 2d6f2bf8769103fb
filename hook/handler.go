package hook

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sirupsen/logrus"

	"github.com/prowbot/prow/hook/journal"
	"github.com/prowbot/prow/plugins"
)

// Dispatcher is what hook hands normalized deliveries to.
type Dispatcher interface {
	Dispatch(ctx context.Context, del plugins.Delivery)
	// Wants reports whether any plugin, in process or external, takes
	// a delivery of this event type for org/repo.
	Wants(org, repo, eventType string) bool
	Help() plugins.Help
}

// DispatchHandler decodes each delivery into normalized events and
// dispatches them. A delivery no plugin takes is not decoded. A payload
// that does not decode is logged and dropped: handling it again would
// fail the same way.
func DispatchHandler(d Dispatcher, log *logrus.Entry) Handler {
	return func(ctx context.Context, rec journal.Record) {
		if org, repo := ownerOf(rec.Body); !d.Wants(org, repo, rec.Event) {
			log.WithFields(logrus.Fields{"delivery": rec.ID, "event": rec.Event, "org": org, "repo": repo}).Debug("No plugin takes this delivery")
			return
		}
		org, repo, events, err := Decode(rec.Event, rec.ID, rec.Body)
		if err != nil {
			log.WithError(err).WithFields(logrus.Fields{"delivery": rec.ID, "event": rec.Event}).Warn("Dropping delivery that does not decode")
			return
		}
		log.WithFields(logrus.Fields{"delivery": rec.ID, "event": rec.Event, "org": org, "repo": repo}).Info("Handling delivery")
		d.Dispatch(ctx, plugins.Delivery{GUID: rec.ID, EventType: rec.Event, Org: org, Repo: repo, Events: events, Body: rec.Body, Header: rec.Header, Replayed: rec.Replayed})
	}
}

// Mux serves hook's endpoints: the webhook at path, /plugin-help, /metrics,
// /healthz, /healthz/ready (503 once the server drains) and a 200 at /.
func Mux(path string, srv *Server, d Dispatcher, gatherer prometheus.Gatherer) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle(path, srv)
	mux.HandleFunc("/plugin-help", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(d.Help()); err != nil {
			http.Error(w, "500 Internal Server Error: cannot encode plugin help", http.StatusInternalServerError)
		}
	})
	if gatherer != nil {
		mux.Handle("/metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	}
	ok := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }
	mux.HandleFunc("/healthz", ok)
	mux.HandleFunc("/healthz/ready", func(w http.ResponseWriter, r *http.Request) {
		if !srv.Ready() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		ok(w, r)
	})
	mux.HandleFunc("/{$}", ok)
	return mux
}
