package harness

import (
	"net/http"
	"strings"
	"sync"

	"github.com/prowbot/prow/test/statusrec"
)

// CallCounter counts the requests the bot (token BotToken) makes of the
// sandbox: REST calls, the ones GitHub would not charge for (answered 304
// Not Modified to a conditional request), and git fetches.
type CallCounter struct {
	mu                  sync.Mutex
	api, notModified    int
	writes, gitRequests int
}

// Counts is a snapshot of a CallCounter.
type Counts struct {
	// API is every REST call; Charged the ones that cost rate limit
	// (all but 304s); Writes the non-GET calls; Git the git-over-HTTP
	// requests.
	API, Charged, Writes, Git int
}

// Sub is c minus an earlier snapshot.
func (c Counts) Sub(o Counts) Counts {
	return Counts{API: c.API - o.API, Charged: c.Charged - o.Charged, Writes: c.Writes - o.Writes, Git: c.Git - o.Git}
}

// Snapshot returns the counts so far.
func (c *CallCounter) Snapshot() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Counts{API: c.api, Charged: c.api - c.notModified, Writes: c.writes, Git: c.gitRequests}
}

func (c *CallCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		bot := strings.HasSuffix(auth, " "+BotToken)
		if !bot {
			if user, pass, ok := r.BasicAuth(); ok {
				bot = user == BotToken || pass == BotToken
			}
		}
		if !bot && !strings.Contains(r.URL.Path, ".git/") {
			h.ServeHTTP(w, r)
			return
		}
		rec := statusrec.New(w)
		h.ServeHTTP(rec, r)
		c.mu.Lock()
		defer c.mu.Unlock()
		switch {
		case strings.Contains(r.URL.Path, ".git/"):
			c.gitRequests++
		default:
			c.api++
			if rec.Code == http.StatusNotModified {
				c.notModified++
			}
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				c.writes++
			}
		}
	})
}
