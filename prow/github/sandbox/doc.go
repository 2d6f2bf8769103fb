// Package sandbox is a GitHub stand-in for tests and demos: an HTTP server
// that speaks the parts of GitHub's REST API a Prow-style bot uses, keeps
// its world in memory, serves real git repositories over HTTP, and, like
// GitHub, sends a signed webhook for every change, including the changes
// its API clients make. A request acts as the user whose token it carries
// (Authorization: token X, or Bearer X), so a test can comment "/lgtm" as
// anyone.
//
// # The world
//
// A Seed (YAML, read by LoadSeed; docs/sandbox.md has the full format)
// lists users, orgs with members, admins and teams, repositories with
// collaborators, labels, milestones and files per branch, pull requests
// and issues:
//
//	users:
//	- {login: alice, token: alice-token, name: Alice}
//	- {login: the-bot, token: bot-token, type: Bot}
//	orgs:
//	- login: demo
//	  members: [alice, the-bot]
//	  teams: [{slug: maintainers, members: [alice], repos: {hello: maintain}}]
//	repos:
//	- name: demo/hello
//	  collaborators: {the-bot: write}
//	  labels: [{name: lgtm, color: 15dd18}]
//	  files:
//	    main: {README.md: "hello\n"}
//	pulls:
//	- {repo: demo/hello, number: 1, author: alice, title: Fix, files: {README.md: "hello world\n", old.txt: null}}
//
// Every repository is a bare git repository built with the git binary
// (2.38 or newer) and changed only through git's plumbing: seed files are
// committed on their branches, each pull request's head commit is built
// on its base branch and kept on its head branch and at
// refs/pull/<n>/head, and merging really merges. Head and base SHAs in
// responses are the real ones, and `git clone <base>/<owner>/<repo>.git`
// works.
//
// # State
//
// The world sits behind one mutex. Every request runs as a tx: the
// handler parses its input, then, with the lock held, calls the tx
// methods that change the world (each emitting its webhooks) and renders
// the answer; the webhooks are queued in order as the lock is released.
//
// # GraphQL
//
// POST /graphql (and GitHub Enterprise's /api/graphql) executes real
// GraphQL over graphql_schema.graphql, a strict subset of GitHub's public
// schema (a test checks it against @octokit/graphql-schema): search with
// cursor pages, repository and pullRequest, rateLimit. Search answers from
// the same qualifier parser and in the same order as REST's
// /search/issues. Queries spend a GraphQL budget of their own, one point
// each, and errors come back as GitHub sends them: 200 with an errors
// array. Options.LazyMergeable makes mergeability unknown on the first
// read after a pull request's head or base moves, as on GitHub.
//
// # Webhooks
//
// Deliveries go to Options.WebhookURL in order, from one goroutine and a
// bounded queue, signed with X-Hub-Signature-256 and retried with backoff
// on failure. Deliveries lists what was sent and how the receiver
// answered; Flush waits until the queue is empty, so tests need no sleeps.
//
// # Beyond GitHub
//
// The /_sandbox/ API (and the matching methods PushToPull, PushToBranch,
// SetDraft, SetFaults, SetRateLimit) lets tests act as developers pushing
// commits and inject faults: a share of requests answered 502 or 503,
// dropped connections, or secondary rate limits, chosen by a seeded
// random source and struck before a request is applied, so a retried
// write is applied once. Every response carries GitHub's X-RateLimit-*
// headers from a per-user budget, GETs an ETag, and a matching
// If-None-Match gets a 304 that costs nothing.
package sandbox
