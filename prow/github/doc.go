// Package github is the bot's GitHub client: narrow interfaces for what
// each consumer needs, implemented over go-github, on one HTTP transport
// stack that revalidates repeated reads with ETags (a 304 costs no rate
// limit), retries 5xx answers and dropped connections with backoff, waits
// out primary and secondary rate limits, logs writes instead of sending
// them in dry-run mode, and exports Prometheus metrics of calls, cache use
// and remaining budget. It authenticates with a personal token (re-read
// when the file changes) or as a GitHub App with an installation token per
// org.
//
// SearchPullRequests reads open pull requests with their labels, base and
// head SHAs, mergeability and head statuses through GitHub's GraphQL API
// (githubv4, on the same transport stack), 100 per call: a tide sync of
// 1,000 pull requests costs 10 calls instead of thousands of REST ones.
// GraphQL lives at api.github.com/graphql, or beside GitHub Enterprise's
// /api/v3 at /api/graphql.
package github
