#!/usr/bin/env bash
# Builds the binaries of the test control plane that test/kubeenv starts:
# etcd, kube-apiserver, kube-scheduler, kubectl (for debugging) and kwok, all
# from the Go module proxy, and caches them outside the repository under
#
#   ${CACHE_DIR:-$HOME/.cache/prowbot}/kube/<versions>/bin
#
# keyed by the versions below, so a second run exits at once. It prints the
# bin directory on its last line of output. `build.sh --print-bin` only
# prints that directory: the Makefile exports it to `go test` as
# KUBE_TESTENV_BIN. test/kubeenv falls back to the same directory, so keep its
# versions (test/kubeenv/binaries.go) in step with the ones here.
#
# k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces its staging
# modules with ./staging/... paths. A throwaway build module requires it and
# replaces every one of those staging modules with its published v0.X.Y
# release instead. etcd's server module carries replace directives too, so it
# is built from a wrapper module as well. kwok installs plainly.
set -euo pipefail

# Everything runs from main, called on the last line: bash has then read the
# whole file, so editing it while a build runs cannot derail that build.
main() {
	KUBE_VERSION="${KUBE_VERSION:-v1.37.2}"
	ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
	KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
	GO="${GO:-go}"

	cache_root="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prowbot}"
	key="k8s-${KUBE_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
	dest="$cache_root/kube/$key"
	bin="$dest/bin"
	binaries=(etcd kube-apiserver kube-scheduler kubectl kwok)

	if [[ "${1:-}" == --print-bin ]]; then
		echo "$bin"
		exit 0
	fi

	have_all() {
		local b
		for b in "${binaries[@]}"; do
			[[ -x "$bin/$b" ]] || return 1
		done
	}

	if have_all; then
		echo "kube-testenv: binaries up to date in $bin"
		echo "$bin"
		exit 0
	fi

	mkdir -p "$dest"
	# Two `make test` runs at once build only once: the second waits for the lock
	# and then finds the binaries.
	exec 9>"$dest/.lock"
	if command -v flock >/dev/null && ! flock -n 9; then
		echo "kube-testenv: another build holds $dest/.lock; waiting for it"
		flock 9
	fi
	if have_all; then
		echo "kube-testenv: binaries up to date in $bin"
		echo "$bin"
		exit 0
	fi

	work="$(mktemp -d "${TMPDIR:-/tmp}/kube-testenv-build.XXXXXX")"
	trap 'rm -rf "$work"' EXIT
	out="$work/bin"
	mkdir -p "$out"

	# The build must see neither the repository's workspace nor its flags.
	export GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
	# A Go runtime built with -trimpath keeps these small and reproducible.
	build_flags=(-trimpath)

	start_all=$SECONDS
	step() { echo "kube-testenv: $*"; }

	# --- Kubernetes -------------------------------------------------------------
	step "building kube-apiserver, kube-scheduler, kubectl $KUBE_VERSION in $work/kube"
	t=$SECONDS
	mkdir -p "$work/kube"
	cd "$work/kube"
	"$GO" mod init prowbot.test/kube-testenv >/dev/null 2>&1
	kube_gomod="$("$GO" mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
	[[ -f "$kube_gomod" ]] || { echo "kube-testenv: cannot find go.mod of k8s.io/kubernetes@$KUBE_VERSION" >&2; exit 1; }
	# v1.X.Y of k8s.io/kubernetes goes with v0.X.Y of its staging modules.
	staging_version="v0.${KUBE_VERSION#v1.}"
	# The staging modules are exactly the paths its replace block maps to ./staging.
	mapfile -t staging < <(awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }' "$kube_gomod")
	[[ ${#staging[@]} -gt 0 ]] || { echo "kube-testenv: no staging modules in $kube_gomod" >&2; exit 1; }
	step "replacing ${#staging[@]} staging modules with $staging_version"
	{
		echo
		echo "require k8s.io/kubernetes $KUBE_VERSION"
		echo
		echo "replace ("
		for m in "${staging[@]}"; do
			echo "	$m => $m $staging_version"
		done
		echo ")"
	} >>go.mod
	cat >tools.go <<-'EOF'
	//go:build tools

	package tools

	import (
		_ "k8s.io/kubernetes/cmd/kube-apiserver"
		_ "k8s.io/kubernetes/cmd/kube-scheduler"
		_ "k8s.io/kubernetes/cmd/kubectl"
	)
	EOF
	# What clients see from /version; without it the version reads v0.0.0.
	minor="${KUBE_VERSION#v1.}"
	minor="${minor%%.*}"
	vpkg=k8s.io/component-base/version
	kube_ldflags="-s -w -X $vpkg.gitVersion=$KUBE_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z"
	"$GO" mod download k8s.io/kubernetes
	"$GO" build "${build_flags[@]}" -tags tools -ldflags "$kube_ldflags" -o "$out/" \
		k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
	step "built Kubernetes in $((SECONDS - t))s"

	# --- etcd -------------------------------------------------------------------
	step "building etcd $ETCD_VERSION in $work/etcd"
	t=$SECONDS
	mkdir -p "$work/etcd"
	cd "$work/etcd"
	"$GO" mod init prowbot.test/etcd-wrapper >/dev/null 2>&1
	"$GO" mod edit -require "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
	"$GO" build "${build_flags[@]}" -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
	step "built etcd in $((SECONDS - t))s"

	# --- kwok -------------------------------------------------------------------
	step "installing kwok $KWOK_VERSION"
	t=$SECONDS
	cd "$work"
	GOBIN="$out" GOFLAGS= "$GO" install "${build_flags[@]}" -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
	step "built kwok in $((SECONDS - t))s"

	"$out/etcd" --version | head -1
	"$out/kube-apiserver" --version
	"$out/kwok" --version 2>/dev/null | head -1 || true

	# Publish all at once: a half-finished build never looks complete.
	rm -rf "$bin.new"
	mv "$out" "$bin.new"
	rm -rf "$bin"
	mv "$bin.new" "$bin"
	step "done in $((SECONDS - start_all))s: $bin"
	echo "$bin"
}

main "$@"
