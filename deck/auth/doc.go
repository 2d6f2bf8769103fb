// Package auth is who may do what on the dashboard: a GitHub OAuth web
// login whose result lives in an HMAC-signed session cookie, CSRF tokens
// bound to the session for every form that changes something, and the
// rerun_auth_config check that decides who may rerun or abort a job.
package auth
