// Package stage is the stage plugin (Prow's "stage"). Anyone can mark the
// stage of a feature an issue or pull request tracks with /stage alpha,
// /stage beta or /stage stable, which sets the matching stage/... label
// and removes the other two, and take it off with /remove-stage <stage>.
//
// The decision is a pure function (Decide); plugin.go does the I/O
// around it.
package stage
