#!/usr/bin/env bash
# Invoices per second: FlowForge's `generate` with the built-in invoice template and an order's
# JSON (Typst in the PDF workers, over HTTP) against Gotenberg's approach, a warm headless
# Chromium printing the same invoice written as HTML (bench/invoice.html) over CDP. Both with
# two at a time on this 2-core machine, for SECONDS each, in one run.
#
#   bash bench/pdf-invoice.sh            # needs wrk; Chromium and playwright-core are installed
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECONDS_EACH="${SECONDS_EACH:-10}"
for p in chromium wrk; do command -v "$p" >/dev/null || apt-get install -y -q "$p" >/dev/null; done
NODE_DIR="$(dirname "$CARGO_TARGET_DIR")/cache/node-bench"
if [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
  mkdir -p "$NODE_DIR" && (cd "$NODE_DIR" && npm init -y >/dev/null && npm install -q playwright-core@1 >/dev/null)
fi
PORT=39317
pdf_service "$PORT"
curl -sf -o "$WORK/ours.pdf" -H 'content-type: application/json' --data @bench/invoice.json "http://127.0.0.1:$PORT/api/v1/pdf/generate"
echo "== FlowForge generate (template invoice + JSON), 2 connections, ${SECONDS_EACH} s"
wrk -t2 -c2 -d"${SECONDS_EACH}s" -s bench/post-invoice.lua "http://127.0.0.1:$PORT/api/v1/pdf/generate" | grep -E "Requests/sec|Latency|Non-2xx"
echo "== Chromium $(chromium --version 2>/dev/null | awk '{print $2}') printing bench/invoice.html, 2 pages at once, ${SECONDS_EACH} s"
cp bench/chromium-print.mjs "$NODE_DIR/"
node "$NODE_DIR/chromium-print.mjs" "$PWD/bench/invoice.html" "$SECONDS_EACH" 2 "$WORK/chromium.pdf"
echo "== outputs"
ls -l "$WORK/ours.pdf" "$WORK/chromium.pdf" | awk '{print $5, $9}'
