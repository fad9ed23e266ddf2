# Shared by the HTTP benchmarks: `source bench/lib.sh` from the repository root. Sets
# CARGO_TARGET_DIR, a temporary WORK directory removed (with any background server) on exit, and
# wait_port PORT [TRIES], which waits TRIES × 0.1 s (default 200) for a listener on 127.0.0.1:PORT.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_port() { for _ in $(seq "${2:-200}"); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
# pdf_service PORT: the release pdf-service on 127.0.0.1:PORT, PDFium from the models cache beside
# the target directory (fetched on first need), in the background until the script exits.
pdf_service() {
  cargo build --release -q -p flowforge-pdf --bin pdf-service
  FLOWFORGE_MODELS_DIR="${FLOWFORGE_MODELS_DIR:-$(dirname "$CARGO_TARGET_DIR")/cache/models}" \
    FLOWFORGE_LISTEN="127.0.0.1:$1" "$CARGO_TARGET_DIR/release/pdf-service" > /dev/null 2>&1 &
  wait_port "$1"
}
