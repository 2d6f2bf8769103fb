// Package effect names the effects of handling a webhook delivery so a
// delivery handled again after a crash does not repeat them.
//
// Hook journals each delivery before acknowledging it and replays the
// ones it had not finished when it restarts. A plugin that was half-way
// through a delivery at the crash runs again; what it did the first time
// must not happen twice. Most writes are idempotent already (adding a
// label that is there, deleting a comment that is gone); the others are
// made so with effect keys: the dispatcher gives each handler call a
// Scope, and each non-idempotent write takes the next key of it. The keys
// are the same on every run of the same call, so a replayed write finds
// what the first run left (a bot comment carrying the key, a job named
// after it) and does not repeat it.
package effect
