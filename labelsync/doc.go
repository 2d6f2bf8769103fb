// Package labelsync keeps the labels of GitHub repositories as a
// labels.yaml file says. It replaces Prow's label_sync and reads the same
// format: `default` labels for every repository of the synced orgs,
// `orgs` labels for every repository of one org and `repos` labels for one
// repository, each label with its name, color, description, target, the
// plugin that applies it, its previous names and the time after which it
// is deleted.
//
// For each repository it creates missing labels, updates colors and
// descriptions, renames a label from a previous name in place (issues
// keep it), moves the issues of a previous name onto the label when both
// exist and deletes the old one, and deletes labels past their
// deleteAfter. Labels the file does not name are left alone. Names compare
// without regard to case, as GitHub's do.
//
// Loading and validation (config.go) and the plan (plan.go, a pure
// function of the wanted and the current labels) hold the decisions;
// sync.go is the thin layer that reads and writes GitHub.
package labelsync
