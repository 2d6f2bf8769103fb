// Package clonerefs is the clonerefs pod utility: it clones a job's refs
// below the source root with jobs/clone (the same clone as the local
// runner's), in parallel up to max_parallel_workers, and writes the
// clone records (Prow's clone-records.json) to the log file, also when a
// clone failed. As in Prow, a failed clone is not an error unless the
// options say fail: in a decorated pod initupload reads the records,
// uploads them with finished.json and fails the pod.
//
// Credentials reach git through its environment, never the records:
// oauth_token_file as HTTP basic credentials, key_files and
// host_fingerprints through GIT_SSH_COMMAND (ssh with those identities
// and a known_hosts file made in the temporary directory), cookie_path
// as git's http.cookiefile. GitHub App credentials are not supported:
// every refs fails with a record saying so.
package clonerefs
