// Package checkconfig is the `prow checkconfig` subcommand, shared by the
// lean front binary (bin/prow) and the full one (prow-components). It
// links only the configuration packages: what looks names up on GitHub
// (--github-endpoint) is handed in by the binary that has a GitHub client.
package checkconfig
