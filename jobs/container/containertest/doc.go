// Package containertest gives tests a local image to run jobs in: a
// busybox image made from Debian's busybox-static with podman import, no
// registry needed. Tests that need it skip when podman is not installed
// (the Makefile installs it).
package containertest
