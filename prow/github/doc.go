// Package github is the bot's GitHub client: narrow interfaces for what
// each consumer needs, implemented over go-github, on one HTTP transport
// stack that revalidates repeated reads with ETags (a 304 costs no rate
// limit), retries 5xx answers and dropped connections with backoff, waits
// out primary and secondary rate limits, logs writes instead of sending
// them in dry-run mode, and exports Prometheus metrics of calls, cache use
// and remaining budget. It authenticates with a personal token (re-read
// when the file changes) or as a GitHub App with an installation token per
// org.
package github
