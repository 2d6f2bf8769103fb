// Package lens reads the files of one build and turns them into what the
// job page shows, as Prow's Spyglass lenses do: the metadata of
// started.json, finished.json and prowjob.json; the build log, read by
// range so a huge log is never loaded whole, with its ANSI colors parsed
// (ParseANSI), error lines marked by their text without the codes and
// long quiet stretches folded; and JUnit results per suite (failed,
// flaky, skipped, passed). It also parses links files (Prow's links.json
// and *.link.txt), Go coverage profiles, podinfo.json, and renders
// Markdown without raw HTML; select.go compiles deck.spyglass.lenses and
// picks the lenses whose required files a build has, in config order.
//
// The functions here take a storage.Bucket and object names the caller
// has already validated; they only read.
package lens
