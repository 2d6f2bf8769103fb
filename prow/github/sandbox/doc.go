// Package sandbox is a GitHub stand-in for tests and demos: an HTTP server
// that speaks the parts of GitHub's REST API the bot uses, keeps its world
// in memory, and, like GitHub, sends a signed webhook for every change,
// including the changes its API clients make. A request acts as the user
// whose token it carries, so a test can comment "/lgtm" as anyone.
//
// The starting world comes from a seed file (see docs/sandbox.md):
//
//	users:
//	- {login: alice, token: alice-token}
//	orgs:
//	- login: demo
//	  members: [alice]
//	  teams: [{slug: maintainers, members: [alice]}]
//	repos:
//	- name: demo/hello
//	  collaborators: {alice: admin}
//	  labels: [{name: lgtm, color: 15dd18}]
//	  files: {README.md: "hello\n"}
//	pulls:
//	- {repo: demo/hello, number: 1, author: bob, title: Fix, files: {README.md: "hello world\n"}}
//
// Faults can be injected (5xx answers, dropped connections, secondary rate
// limits) for a share of requests; they strike before a request is applied,
// so a retried write is applied once.
package sandbox
