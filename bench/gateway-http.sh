#!/usr/bin/env bash
# Cost of the gateway layer (API key check + rate limiting), side by side in one run:
# the same small request (sha256 of 100 bytes as JSON) against flowforge with the gateway off,
# on with in-process counters, and on with Redis counters (one Lua script round trip per call).
#   bash bench/gateway-http.sh        # needs wrk and a Redis on REDIS_URL (default 127.0.0.1:6379)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION="${DURATION:-10s}"
REDIS="${REDIS_URL:-redis://127.0.0.1:6379}"
cargo build --release -q -p flowforge
BIN="$CARGO_TARGET_DIR/release/flowforge"

# Limits far above what the run can reach, so every call is checked and counted but none refused.
export FLOWFORGE_LIMIT_PRO_MINUTE=1000000000 FLOWFORGE_LIMIT_PRO_DAY=1000000000
unset DATABASE_URL
KEY=$(FLOWFORGE_DATA_DIR="$WORK/d1" "$BIN" keys create --name bench --tier pro 2>/dev/null)
cp -r "$WORK/d1" "$WORK/d2"
FLOWFORGE_AUTH=off FLOWFORGE_DATA_DIR="$WORK/d0" "$BIN" serve --listen 127.0.0.1:3910 > /dev/null 2>&1 &
env -u REDIS_URL FLOWFORGE_DATA_DIR="$WORK/d1" "$BIN" serve --listen 127.0.0.1:3911 > /dev/null 2>&1 &
REDIS_URL="$REDIS" FLOWFORGE_DATA_DIR="$WORK/d2" "$BIN" serve --listen 127.0.0.1:3912 > /dev/null 2>&1 &
wait_port 3910 100; wait_port 3911 100; wait_port 3912 100

run() { # name port connections
  curl -s -o /dev/null -w "%{http_code}" -H "X-API-Key: $KEY" -H 'content-type: application/json' \
    -d '{"algorithm":"md5","data":"x"}' "http://127.0.0.1:$2/api/v1/crypto/hash" | grep -q 200 \
    || { echo "$1: the warm-up call failed" >&2; exit 1; }
  local out
  out=$(wrk -t2 -c"$3" -d"$DURATION" --latency -s bench/post-hash.lua -H "X-API-Key: $KEY" "http://127.0.0.1:$2/api/v1/crypto/hash")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$3" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1=="50%" {print $2}')" \
    "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(echo "$out" | awk '/Non-2xx/ {print $5}')"
}
echo "| gateway | connections | requests/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
# Twice each, interleaved: this machine's speed drifts during a run, so compare neighbours.
for c in 64 64 4 4; do
  run "off" 3910 "$c"
  run "on, in-process counters" 3911 "$c"
  run "on, Redis counters" 3912 "$c"
done
