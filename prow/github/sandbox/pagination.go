package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// page cuts a list by the per_page (default 30, at most 100) and page
// query parameters and writes GitHub's Link header (prev, next, last,
// first) with l's URLs.
func page[T any](w http.ResponseWriter, r *http.Request, l links, all []T) []T {
	per := queryInt(r, "per_page", 30)
	if per <= 0 || per > 100 {
		per = min(max(per, 30), 100)
	}
	p := max(queryInt(r, "page", 1), 1)
	last := max((len(all)+per-1)/per, 1)
	var rels []string
	link := func(n int, rel string) {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(per))
		rels = append(rels, fmt.Sprintf(`<%s%s?%s>; rel="%s"`, l.api, r.URL.Path, q.Encode(), rel))
	}
	if p > 1 {
		link(min(p-1, last), "prev")
	}
	if p < last {
		link(p+1, "next")
		link(last, "last")
	}
	if p > 1 {
		link(1, "first")
	}
	if len(rels) > 0 {
		w.Header().Set("Link", strings.Join(rels, ", "))
	}
	start := (p - 1) * per
	if start >= len(all) {
		return []T{}
	}
	return all[start:min(start+per, len(all))]
}
