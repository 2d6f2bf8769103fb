// Package clone checks out a job's refs the way Prow's clonerefs does:
// for each Refs (the main refs first, then the extra refs) it makes
// <root>/src/<path_alias or host/org/repo>, runs git init, fetches the
// base ref (and the base SHA when it is not the ref's head), checks the
// base out on a branch named after the base ref, then fetches each pull
// request (pull/N/head, or the pull's ref) and merges its SHA with
// `git merge --no-ff`, and finally updates submodules unless told not
// to. Every step is recorded in Prow's clone-records.json shape.
//
// Credentials never reach the disk nor the records: they are passed to
// git in its environment (GIT_CONFIG_COUNT/KEY/VALUE setting an
// http.<url>.extraHeader scoped to the clone URL's host, so submodules
// on other hosts do not get them), and anything that looks like them
// (the password, the encoded header, user info in URLs) is censored from
// the recorded commands and outputs. Merges are made with a fixed
// committer identity and dates derived from the base commit, through the
// environment, so they work without any git configuration and give the
// same merge commit for the same inputs.
//
// Other credentials reach git through Cloner.Env the same way: the
// clonerefs pod utility sets GIT_SSH_COMMAND there for SSH keys and host
// fingerprints, and http.cookiefile for a cookie file.
//
// Not supported yet: sparse checkouts and fetch retries.
package clone
