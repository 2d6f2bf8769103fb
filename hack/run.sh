#!/usr/bin/env bash
# `make run`: the sandbox GitHub seeded with the demo repository, and hook
# receiving its webhooks, both on 127.0.0.1. Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/bin/prow"
example="$root/deploy/example"
state="${PROW_RUN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prowbot/run}"
mkdir -p "$state"
secret="$state/hmac"
[ -s "$secret" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secret"
token="$state/github-token"
echo "demo-bot-token" >"$token"

"$bin" sandbox --seed "$example/sandbox-seed.yaml" --port 8090 \
  --webhook-url http://127.0.0.1:8888/hook --hmac-secret-file "$secret" --git-dir "$state/git-$$" &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$state/git-$$"' EXIT

cat <<MSG

  Sandbox GitHub: http://127.0.0.1:8090 (repository demo/hello, pull request #1)
  hook:           http://127.0.0.1:8888/hook  (/plugin-help, /metrics)

  Put the pull request on hold as alice, then look at its labels:
    curl -s -H 'Authorization: token alice-token' -d '{"body":"/hold"}' \\
      http://127.0.0.1:8090/api/v3/repos/demo/hello/issues/1/comments
    curl -s -H 'Authorization: token alice-token' \\
      http://127.0.0.1:8090/api/v3/repos/demo/hello/issues/1/labels

MSG
"$bin" hook --address 127.0.0.1 --port 8888 --hmac-secret-file "$secret" \
  --config-path "$example/config.yaml" --job-config-path "$example/jobs" \
  --plugin-config "$example/plugins.yaml" --journal-dir "$state/journal" \
  --github-endpoint http://127.0.0.1:8090 --github-token-path "$token"
