// Package ghproxy is a caching reverse proxy for GitHub's API, this bot's
// counterpart of Prow's ghproxy (ghcache). Every component can point its
// --github-endpoint at one proxy, so that N components (or N replicas of
// one) spend the GitHub budget of one:
//
//   - GETs are cached per token (a hash of the Authorization header; data
//     never crosses tokens), on disk with a size limit or in memory, and
//     revalidated on every read with If-None-Match / If-Modified-Since: a
//     304 costs nothing on GitHub, and the proxy answers from its cache.
//     A client's own conditional request is answered by the proxy (304
//     when the client's ETag is current), so a component's in-process
//     cache and the proxy's stack without extra upstream calls.
//   - Identical GETs in flight at once are coalesced into one upstream
//     request.
//   - Requests are throttled per token (separate spacing for reads,
//     writes and GraphQL) and the number of upstream requests in flight
//     is capped, against GitHub's secondary rate limits.
//   - Prometheus metrics count responses by cache mode (miss, changed,
//     revalidated, coalesced, no-store, skip, error) and time the throttle
//     and upstream.
//
// The REST API is served at / and /api/v3/ (the client of prow/github
// uses the latter for any endpoint but github.com's), GraphQL at /graphql
// and /api/graphql.
package ghproxy
