// Package configupdater is the config-updater plugin (Prow's
// pkg/plugins/updateconfig). When a pull request that changes files
// listed in config_updater.maps of plugins.yaml merges into the
// repository's default branch, the bot copies the files, as they are on
// that branch now, into the ConfigMaps the entries name, and comments on
// the pull request which ConfigMaps and keys it updated, in Prow's words
// ("Updated the `config` configmap ... using the following files: ...").
//
// A map key is a path or a glob (* and ? within a segment, ** across
// segments); the first entry matching a changed file wins, an exact path
// before globs, globs in name order. The ConfigMap's key is the entry's
// key, else the file's name (its full path with / as - under
// use_full_path_as_key); a removed file removes its key, a renamed one
// moves it. gzip (per entry or for all) stores the file gzipped in
// binaryData. clusters (alias to namespaces) and cluster_groups say where
// the ConfigMap is; by default it is the default cluster's
// prowjob_namespace. allowed_repos and denied_repos restrict which
// repositories may update an entry. partitioned_names is not supported:
// such entries are skipped with a log line.
//
// Where the ConfigMaps are is the Maps the plugin is built with:
// KubeMaps writes real ConfigMaps through the Kubernetes API (the cluster
// mode, `prow hook`); FileMaps, for the embedded mode (`prow serve`),
// which has no ConfigMaps, writes each key to the file of that name that
// the process reads — its config.yaml and plugins.yaml, and any other
// key in the job config directory — so hot reload picks the change up.
//
// Plan and Summary are pure; plugin.go reads GitHub around them.
package configupdater
