#!/usr/bin/env bash
# Fails when the committed deep-copy code or CRD differ from what the Go
# types generate.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
OUT_DIR="$scratch" "$root/hack/update-crd.sh"
status=0
for f in prow/api/v1/zz_generated.deepcopy.go deploy/crd/prow.k8s.io_prowjobs.yaml; do
  if ! diff -u "$root/$f" "$scratch/$f" >"$scratch/diff" 2>&1; then
    echo "$f is stale or missing; run 'make update-crd' and commit the result:" >&2
    head -40 "$scratch/diff" >&2
    status=1
  fi
done
exit $status
