package effect

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Scope is one handler call's effects: the delivery, the call (plugin
// and position, the same on every run), and whether this run is a replay.
type Scope struct {
	Delivery string
	Call     string
	// Replay is true when the delivery was journaled by an earlier run
	// that did not finish it: effects of that run may exist already.
	Replay bool

	mu   sync.Mutex
	next map[string]int
}

type scopeKey struct{}

// With returns ctx carrying s.
func With(ctx context.Context, s *Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// From returns the scope of ctx, or nil outside a handler call.
func From(ctx context.Context) *Scope {
	s, _ := ctx.Value(scopeKey{}).(*Scope)
	return s
}

// Key returns the next key for an effect of kind (comment, job, ...):
// "<delivery>/<call>/<kind><n>", counting from 0 per kind. The n-th
// effect of a kind gets the same key on every run of the call.
func (s *Scope) Key(kind string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next == nil {
		s.next = map[string]int{}
	}
	n := s.next[kind]
	s.next[kind] = n + 1
	return fmt.Sprintf("%s/%s/%s%d", s.Delivery, s.Call, kind, n)
}

// markerPrefix starts the hidden marker a bot comment carries.
const markerPrefix = "<!-- prow-effect: "

// markerRe matches a marker at the end of a comment.
var markerRe = regexp.MustCompile(`\n\n<!-- prow-effect: ([^ ]+) -->$`)

// Mark appends key to body as a hidden marker.
func Mark(body, key string) string {
	return body + "\n\n" + markerPrefix + key + " -->"
}

// Unmark splits a comment into its text and its marker key ("" if none).
func Unmark(body string) (text, key string) {
	if !strings.Contains(body, markerPrefix) {
		return body, ""
	}
	m := markerRe.FindStringSubmatchIndex(body)
	if m == nil {
		return body, ""
	}
	return body[:m[0]], body[m[2]:m[3]]
}
