# Shared by the HTTP benchmarks: `source bench/lib.sh` from the repository root. Sets
# CARGO_TARGET_DIR, a temporary WORK directory removed (with any background server) on exit, and
# wait_port PORT [TRIES], which waits TRIES × 0.1 s (default 200) for a listener on 127.0.0.1:PORT.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_port() { for _ in $(seq "${2:-200}"); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
