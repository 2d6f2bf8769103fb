// Package releasenote is the release-note plugin. It reads the
// ```release-note block of a pull request's body and keeps exactly one of
// the release-note labels on the pull request:
//
//   - release-note when the block holds a note,
//   - release-note-action-required when the note says "action required",
//   - release-note-none when the block says NONE, or when the author or an
//     org member commented /release-note-none and the block is empty,
//   - do-not-merge/release-note-label-needed otherwise, with a comment
//     asking for a note (deleted again once a note is given).
//
// A pull request labeled kind/deprecation always needs a real note: NONE
// and /release-note-none do not satisfy it. Org members can replace the
// note with /release-note-edit followed by a ```release-note block.
//
// The decisions are pure functions (Determine, NoneCommand, ReplaceNote);
// the handlers in plugin.go do the I/O around them.
package releasenote
