#!/usr/bin/env bash
# `make run`: the sandbox GitHub seeded with the demo repository, and
# `prow serve` (hook, plugins, controller, local runner, reporters,
# periodics, sinker) receiving its webhooks, both on 127.0.0.1. A member
# says /ok-to-test on the demo pull request so a job runs and reports at
# once. Ctrl-C stops both. Jobs run in the bubblewrap sandbox (their
# commands on this machine's tools, seeing only their own folders);
# PROW_RUNNER=container runs them in their images through podman instead
# (the images are pulled), PROW_RUNNER=host as plain processes.
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
data="$state/data-$$"
sandbox=http://127.0.0.1:8090

"$bin" sandbox --seed "$example/sandbox-seed.yaml" --port 8090 \
  --webhook-url http://127.0.0.1:8888/hook --hmac-secret-file "$secret" --git-dir "$state/git-$$" &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$state/git-$$"' EXIT
# serve starts once the sandbox answers (periodics clone from it at once).
for _ in $(seq 100); do
  curl -fs "$sandbox/api/v3/rate_limit" -H 'Authorization: token alice-token' >/dev/null 2>&1 && break
  sleep 0.2
done
"$bin" serve --address 127.0.0.1 --port 8888 --hmac-secret-file "$secret" \
  --config-path "$example/config.yaml" --job-config-path "$example/jobs" \
  --plugin-config "$example/plugins.yaml" --data-dir "$data" \
  --github-endpoint "$sandbox" --github-token-path "$token" --runner "${PROW_RUNNER:-sandbox}" &
serve_pid=$!
trap 'kill "$serve_pid" "$sandbox_pid" 2>/dev/null || true; wait 2>/dev/null; rm -rf "$state/git-$$" "$data"' EXIT

for _ in $(seq 100); do
  curl -fs http://127.0.0.1:8888/healthz >/dev/null 2>&1 && break
  sleep 0.2
done

cat <<MSG

  Sandbox GitHub: $sandbox (repository demo/hello, pull request #1 by carol, a newcomer)
  deck:           http://127.0.0.1:8888/ (the job list; /hook, /plugin-help, /metrics too)
  data:           $data (jobs.db, runs/, artifacts/ in Prow's layout)

  alice, a member, now says /ok-to-test on pull request #1: pull-hello-unit runs.
MSG
curl -fsS -o /dev/null -H 'Authorization: token alice-token' -d '{"body":"/ok-to-test"}' \
  "$sandbox/api/v3/repos/demo/hello/issues/1/comments"
sha=$(curl -fsS -H 'Authorization: token alice-token' "$sandbox/api/v3/repos/demo/hello/pulls/1" |
  grep -o 'statuses/[0-9a-f]\{40\}"' | head -1 | tr -dc '0-9a-f' | tail -c 40)
for _ in $(seq 120); do
  status=$(curl -fsS -H 'Authorization: token alice-token' "$sandbox/api/v3/repos/demo/hello/commits/$sha/status" |
    grep -o '"state":"[a-z]*","statuses"' | cut -d'"' -f4)
  [ "$status" = success ] || [ "$status" = failure ] || [ "$status" = error ] && break
  sleep 0.5
done
cat <<MSG

  Commit status of pull request #1 ($sha): ${status:-unknown}
    curl -s -H 'Authorization: token alice-token' $sandbox/api/v3/repos/demo/hello/commits/$sha/statuses
  The job, its log and artifacts on deck: http://127.0.0.1:8888/ (click the job)
  or on disk:
    find $data/artifacts/pr-logs -name build-log.txt | xargs cat
  Merge it: bob (a reviewer) says /lgtm, alice (an approver) says /approve, and tide merges
  pull request #1 within seconds (its tide status says what is still missing until then):
    curl -s -H 'Authorization: token bob-token' -d '{"body":"/lgtm"}' \\
      $sandbox/api/v3/repos/demo/hello/issues/1/comments
    curl -s -H 'Authorization: token alice-token' -d '{"body":"/approve"}' \\
      $sandbox/api/v3/repos/demo/hello/issues/1/comments
  Try more as alice: /hold, /lgtm, /retest, /test pull-hello-docs
    curl -s -H 'Authorization: token alice-token' -d '{"body":"/retest"}' \\
      $sandbox/api/v3/repos/demo/hello/issues/1/comments

MSG
wait "$serve_pid"
