// Package lifecycle holds the scripted pull request lifecycle: the
// plugins that gate a pull request (trigger, lgtm, approve, hold, wip,
// size) working together through hook against the sandbox GitHub, and a
// benchmark of the GitHub calls one lifecycle costs.
package lifecycle
