package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// searchTerm is one term of a search query: a qualifier (key:value) or,
// with an empty key, free text; negated by a leading "-".
type searchTerm struct {
	negate     bool
	key, value string
}

// parseSearch splits a query into terms; double quotes group words
// (label:"do not merge").
func parseSearch(q string) []searchTerm {
	var terms []searchTerm
	var cur strings.Builder
	quoted := false
	flush := func() {
		tok := cur.String()
		cur.Reset()
		if tok == "" {
			return
		}
		t := searchTerm{}
		if strings.HasPrefix(tok, "-") && len(tok) > 1 {
			t.negate, tok = true, tok[1:]
		}
		if key, value, ok := strings.Cut(tok, ":"); ok && key != "" && !strings.Contains(key, " ") {
			t.key, t.value = strings.ToLower(key), value
		} else {
			t.value = tok
		}
		terms = append(terms, t)
	}
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
		case (r == ' ' || r == '\t' || r == '\n') && !quoted:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return terms
}

// matches says whether i satisfies a term; unknown qualifiers match
// everything, as irrelevant ones like archived:false should.
func matches(i *issue, term searchTerm) bool {
	return matchesPositive(i, term) != term.negate
}

func matchesPositive(i *issue, term searchTerm) bool {
	v := term.value
	switch term.key {
	case "":
		return strings.Contains(strings.ToLower(i.Title+"\n"+i.Body), strings.ToLower(v))
	case "is", "type", "state":
		return matchesState(i, strings.ToLower(v))
	case "repo":
		return strings.EqualFold(i.Repo.fullName(), v)
	case "org", "user", "owner":
		return strings.EqualFold(i.Repo.Owner, v)
	case "label":
		return slices.ContainsFunc(strings.Split(v, ","), i.hasLabel)
	case "author":
		return strings.EqualFold(i.Author, v)
	case "assignee":
		return containsFold(i.Assignees, v)
	case "milestone":
		return i.Milestone != nil && strings.EqualFold(i.Milestone.Title, v)
	case "no":
		return matchesMissing(i, strings.ToLower(v))
	case "head", "base", "draft", "review", "status":
		return i.PR != nil && matchesPull(i, term.key, v)
	case "created", "updated", "closed":
		return matchesDate(i, term.key, v)
	}
	return true
}

// matchesDate is the created:, updated: and closed: qualifiers.
func matchesDate(i *issue, key, v string) bool {
	switch key {
	case "created":
		return matchesTime(i.CreatedAt, v)
	case "updated":
		return matchesTime(i.UpdatedAt, v)
	}
	return i.ClosedAt != nil && matchesTime(*i.ClosedAt, v)
}

// matchesTime is a date qualifier's value: >, >=, <, <= or a..b (either
// end * for open) of dates (2026-12-07, the whole day) or times
// (2026-12-07T12:00:00Z), to the second; a bare date or time is that day
// or second. An unreadable value matches everything.
func matchesTime(t time.Time, v string) bool {
	t = t.UTC().Truncate(time.Second)
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		from, _, okLo := timeSpan(lo)
		_, to, okHi := timeSpan(hi)
		return (lo == "*" || !okLo || !t.Before(from)) && (hi == "*" || !okHi || !t.After(to))
	}
	for _, op := range []string{">=", "<=", ">", "<"} {
		if rest, ok := strings.CutPrefix(v, op); ok {
			from, to, ok := timeSpan(rest)
			switch {
			case !ok:
				return true
			case op == ">=":
				return !t.Before(from)
			case op == "<=":
				return !t.After(to)
			case op == ">":
				return t.After(to)
			}
			return t.Before(from)
		}
	}
	from, to, ok := timeSpan(v)
	return !ok || (!t.Before(from) && !t.After(to))
}

// timeSpan is the first and last second a date or time names.
func timeSpan(v string) (from, to time.Time, ok bool) {
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d, d.Add(24*time.Hour - time.Second), true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if at, err := time.Parse(layout, v); err == nil {
			at = at.UTC()
			return at, at, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// matchesMissing is no:label, no:assignee and no:milestone.
func matchesMissing(i *issue, what string) bool {
	switch what {
	case "label":
		return len(i.Labels) == 0
	case "assignee":
		return len(i.Assignees) == 0
	case "milestone":
		return i.Milestone == nil
	}
	return true
}

// matchesPull is the qualifiers only pull requests have.
func matchesPull(i *issue, key, v string) bool {
	switch key {
	case "head":
		return i.PR.Head == v
	case "base":
		return i.PR.Base == v
	case "draft":
		return i.PR.Draft == strings.EqualFold(v, "true")
	case "review":
		return reviewState(i) == strings.ToLower(v)
	}
	return combinedState(latestStatuses(i.Repo, i.PR.HeadSHA)) == strings.ToLower(v)
}

func matchesState(i *issue, v string) bool {
	pr := i.PR != nil
	switch v {
	case "pr", "pull-request":
		return pr
	case "issue":
		return !pr
	case "open", "closed":
		return i.State == v
	case "merged":
		return pr && i.PR.Merged
	case "unmerged":
		return pr && !i.PR.Merged && i.State == "closed"
	case "draft":
		return pr && i.PR.Draft
	case "locked":
		return i.Locked
	case "unlocked":
		return !i.Locked
	}
	return true
}

// reviewState is what review: matches: changes_requested or approved
// from each reviewer's latest approval or change request, none without
// reviews, else required.
func reviewState(i *issue) string {
	latest := map[string]string{}
	for _, rv := range i.PR.Reviews {
		if rv.State == "APPROVED" || rv.State == "CHANGES_REQUESTED" || rv.State == "DISMISSED" {
			latest[strings.ToLower(rv.Author)] = rv.State
		}
	}
	approved := false
	for _, s := range latest {
		switch s {
		case "CHANGES_REQUESTED":
			return "changes_requested"
		case "APPROVED":
			approved = true
		}
	}
	switch {
	case approved:
		return "approved"
	case len(i.PR.Reviews) == 0:
		return "none"
	}
	return "required"
}

// splitScope separates the repo:, org:, user: and owner: qualifiers,
// which GitHub ORs when a query repeats them ("repo:a/b repo:c/d" finds
// both repositories' issues), from the terms every hit must match.
func splitScope(terms []searchTerm) (scope, rest []searchTerm) {
	for _, t := range terms {
		switch t.key {
		case "repo", "org", "user", "owner":
			if !t.negate {
				scope = append(scope, t)
				continue
			}
		}
		rest = append(rest, t)
	}
	return scope, rest
}

// searchIssues answers GET /search/issues with the issues and pull
// requests of the repositories the caller sees that match q.
func (s *Server) searchIssues(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, func(t *tx) (int, any, error) {
		q := r.URL.Query().Get("q")
		if strings.TrimSpace(q) == "" {
			return 0, nil, errInvalid("Search", "q", "missing", "")
		}
		hits := t.search(q, r.URL.Query().Get("sort"), r.URL.Query().Get("order"))
		items := []obj{}
		for _, i := range page(w, r, t.links, hits[:min(len(hits), t.s.opts.SearchLimit)]) {
			o := t.issueObj(i)
			o["score"], o["body"] = 1.0, i.Body
			items = append(items, o)
		}
		return http.StatusOK, obj{"total_count": len(hits), "incomplete_results": false, "items": items, "search_type": "lexical"}, nil
	})
}

// search is every issue and pull request of the repositories the actor
// sees that matches q, in the order of by (created, updated or comments)
// and direction (desc unless asc). A sort:<by>-<direction> qualifier in q
// (sort:updated-asc), the only way GraphQL's search can say it, wins over
// both. REST's /search/issues and GraphQL's search both answer from it.
func (t *tx) search(q, by, direction string) []*issue {
	scope, terms := splitScope(parseSearch(q))
	var hits []*issue
	for _, rp := range t.w.sortedRepos() {
		if !t.w.canSee(rp, t.login()) {
			continue
		}
	issues:
		for _, i := range rp.sortedIssues() {
			if len(scope) > 0 && !slices.ContainsFunc(scope, func(term searchTerm) bool { return matches(i, term) }) {
				continue
			}
			for _, term := range terms {
				if !matches(i, term) {
					continue issues
				}
			}
			hits = append(hits, i)
		}
	}
	for _, term := range terms {
		if term.key == "sort" && !term.negate {
			by, direction, _ = strings.Cut(strings.ToLower(term.value), "-")
		}
	}
	sortIssues(hits, by, firstNonEmpty(direction, "desc"))
	return hits
}
