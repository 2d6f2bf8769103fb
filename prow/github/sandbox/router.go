package sandbox

import (
	"net/http"
	"net/url"
	"strings"
)

// router matches a method and path against patterns such as
// /repos/{owner}/{repo}/contents/{path...}. Unlike http.ServeMux it
// prefers, segment by segment from the left, a literal over a wildcard, so
// /issues/comments/{id} and /issues/{number}/labels coexist as on GitHub.
// A trailing {rest...} matches any number of segments, none included.
type router struct {
	routes []route
}

type route struct {
	method  string
	pattern string
	segs    []string
	handler http.HandlerFunc
}

func (rt *router) handle(method, pattern string, h http.HandlerFunc) {
	rt.routes = append(rt.routes, route{method: method, pattern: pattern, segs: strings.Split(strings.Trim(pattern, "/"), "/"), handler: h})
}

// patterns lists "METHOD /pattern" of every route.
func (rt *router) patterns() []string {
	out := make([]string, 0, len(rt.routes))
	for _, r := range rt.routes {
		out = append(out, r.method+" "+r.pattern)
	}
	return out
}

// match finds the best route for the request and sets its path values.
func (rt *router) match(r *http.Request) (http.HandlerFunc, bool) {
	raw := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	segs := make([]string, len(raw))
	for k, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, false
		}
		segs[k] = u
	}
	var best *route
	var bestScore []int
	for k := range rt.routes {
		rte := &rt.routes[k]
		if rte.method != r.Method {
			continue
		}
		score, ok := rte.score(segs)
		if ok && (best == nil || better(score, bestScore)) {
			best, bestScore = rte, score
		}
	}
	if best == nil {
		return nil, false
	}
	for k, s := range best.segs {
		switch {
		case strings.HasSuffix(s, "...}") && k >= len(segs):
			r.SetPathValue(strings.TrimSuffix(s[1:], "...}"), "")
		case strings.HasSuffix(s, "...}"):
			r.SetPathValue(strings.TrimSuffix(s[1:], "...}"), strings.Join(segs[k:], "/"))
		case strings.HasPrefix(s, "{"):
			r.SetPathValue(s[1:len(s)-1], segs[k])
		}
	}
	return best.handler, true
}

// score rates how specifically the route matches segs: per segment 2 for a
// literal, 1 for a wildcard, 0 for a trailing {rest...}.
func (rt *route) score(segs []string) ([]int, bool) {
	score := make([]int, 0, len(rt.segs))
	for k, s := range rt.segs {
		if strings.HasSuffix(s, "...}") {
			return append(score, 0), len(segs) >= k
		}
		if k >= len(segs) {
			return nil, false
		}
		switch {
		case strings.HasPrefix(s, "{"):
			if segs[k] == "" {
				return nil, false
			}
			score = append(score, 1)
		case s == segs[k]:
			score = append(score, 2)
		default:
			return nil, false
		}
	}
	return score, len(segs) == len(rt.segs)
}

// better says whether score a beats b: the first segment that differs
// decides; on a tie the route without a trailing {rest...} (the shorter
// score) wins.
func better(a, b []int) bool {
	for k := 0; k < len(a) && k < len(b); k++ {
		if a[k] != b[k] {
			return a[k] > b[k]
		}
	}
	return len(a) < len(b)
}
