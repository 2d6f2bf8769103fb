// Package names lists the names of the plugins in plugins/catalog as
// plain strings, for checkconfig: it links none of the plugins, so the
// lean prow binary stays small. catalog's tests keep the list in step
// with catalog.All.
package names
