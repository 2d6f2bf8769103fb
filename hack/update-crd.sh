#!/usr/bin/env bash
# Regenerates the deep-copy code of prow/api/v1 and the ProwJob CRD from the
# Go types. OUT_DIR (default: the repository) lets verify-crd.sh generate
# into a scratch copy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
: "${CONTROLLER_GEN:?set CONTROLLER_GEN to the controller-gen binary (make update-crd does)}"
out="${OUT_DIR:-$root}"
cd "$root"
mkdir -p "$out/prow/api/v1" "$out/deploy/crd"
"$CONTROLLER_GEN" object:headerFile=hack/boilerplate.go.txt paths=./prow/api/v1/... output:object:dir="$out/prow/api/v1"
"$CONTROLLER_GEN" crd:crdVersions=v1,allowDangerousTypes=true paths=./prow/api/v1/... output:crd:dir="$out/deploy/crd"
