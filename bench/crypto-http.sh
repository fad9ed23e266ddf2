#!/usr/bin/env bash
# HTTP benchmarks of the crypto service, side by side with the tools a user would otherwise
# pick, in one run on one machine. Figures go to docs/performance.md.
#
#   bash bench/crypto-http.sh            # needs wrk, hyperfine, node, openssl, curl
#
# 1. sha256 of a 64 MiB raw body over HTTP vs `openssl dgst -sha256` on the same file.
# 2. sha256 of 100 bytes as JSON under wrk load (64 connections): FlowForge's full path (kit
#    with access logs, metrics, request ids) vs a bare axum handler vs a Node.js http+crypto
#    cluster (the original design's stack).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
DURATION="${DURATION:-10s}"
cargo build --release -q -p flowforge
cargo build --release -q -p flowforge-crypto --example bare_hash
BIN="$CARGO_TARGET_DIR/release"


# The kit's full path (logs, metrics, request ids, limits); the gateway layer in front of it is
# measured on its own by bench/gateway-http.sh.
FLOWFORGE_AUTH=off FLOWFORGE_DATA_DIR="$WORK/data" "$BIN/flowforge" serve --listen 127.0.0.1:3900 > "$WORK/flowforge.log" 2>&1 &
"$BIN/examples/bare_hash" 127.0.0.1:3901 &
node bench/node-hash-server.js 3902 &
wait_port 3900 100; wait_port 3901 100; wait_port 3902 100

echo "== 1. sha256 of a 64 MiB body"
head -c $((64 << 20)) /dev/urandom > "$WORK/blob"
want=$(openssl dgst -sha256 -r "$WORK/blob" | cut -d' ' -f1)
# Upload as a stream (-T), as a client sending a file does; --data-binary would first read the
# whole file into curl's memory and time that too.
UPLOAD=(-s -X POST -T "$WORK/blob" -H 'content-type: application/octet-stream' -H 'Expect:')
got=$(curl "${UPLOAD[@]}" 'http://127.0.0.1:3900/api/v1/crypto/hash?algorithm=sha256' | sed 's/.*"digest":"\([0-9a-f]*\)".*/\1/')
[ "$want" = "$got" ] || { echo "digest mismatch: $want vs $got"; exit 1; }
hyperfine -N --warmup 3 --runs 20 --export-markdown "$WORK/large.md" \
  -n 'openssl dgst -sha256 (file)' "openssl dgst -sha256 $WORK/blob" \
  -n 'FlowForge /hash (HTTP, streamed)' "curl -s -o /dev/null -X POST -T $WORK/blob -H content-type:application/octet-stream -H Expect: http://127.0.0.1:3900/api/v1/crypto/hash?algorithm=sha256"
cat "$WORK/large.md"

echo "== 2. sha256 of 100 bytes as JSON, wrk -t2 -c64 -d$DURATION (each server in turn, twice)"
echo "| server | requests/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
for target in "bare axum handler:3901" "FlowForge full path:3900" "Node.js http+crypto cluster:3902" \
              "bare axum handler:3901" "FlowForge full path:3900" "Node.js http+crypto cluster:3902"; do
  name="${target%%:*}"; port="${target##*:}"
  wrk -t2 -c64 -d2s -s bench/post-hash.lua "http://127.0.0.1:$port/api/v1/crypto/hash" > /dev/null
  out=$(wrk -t2 -c64 -d"$DURATION" --latency -s bench/post-hash.lua "http://127.0.0.1:$port/api/v1/crypto/hash")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errs=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "${errs:-0}"
done
echo "access log lines written by FlowForge: $(wc -l < "$WORK/flowforge.log")"
