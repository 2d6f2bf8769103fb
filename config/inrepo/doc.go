// Package inrepo reads jobs configured inside repositories (.prow.yaml or
// the files of .prow/), replacing Prow's in-repo config support
// (pkg/config's GetPresubmits/GetPostsubmits with its git-backed
// InRepoConfigCache; moonraker is not needed). A Getter answers, for a
// repository at a base commit with pull request heads merged on top, the
// central jobs of config.yaml and the job configuration plus the in-repo
// ones, defaulted and validated as the central ones are. Reads go through
// git (a merge of the heads into the base, as Prow tests a change) and are
// cached by (repository, base, heads) in a bounded LRU; concurrent
// requests for one key share a single read.
package inrepo
