#!/usr/bin/env bash
# Math over HTTP, side by side with a FastAPI + NumPy service (uvicorn, one worker per core),
# JSON in and out, in one run:
#   500 × 500 multiply, 500 × 500 inverse, describe of 1,000,000 values,
#   `x^2 + 3*y - sqrt(x)` over 10,000 variable sets.
#   bash bench/math-http.sh     # needs hyperfine, curl, python3 with numpy, scipy, fastapi, uvicorn, orjson
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cargo build --release -q -p flowforge
python3 - "$WORK" <<'PY'
import json, sys
import numpy as np
w = sys.argv[1]
rng = np.random.default_rng(1)
a, b = rng.normal(0, 1, (500, 500)), rng.normal(0, 1, (500, 500))
json.dump({"a": a.tolist(), "b": b.tolist()}, open(f"{w}/multiply.json", "w"))
json.dump({"matrix": a.tolist()}, open(f"{w}/inverse.json", "w"))
json.dump({"values": rng.normal(100, 15, 1_000_000).tolist()}, open(f"{w}/describe.json", "w"))
sets = [{"x": float(x), "y": float(y)} for x, y in rng.uniform(1, 100, (10_000, 2))]
json.dump({"expression": "x^2 + 3*y - sqrt(x)", "variableSets": sets}, open(f"{w}/evaluate.json", "w"))
PY
FLOWFORGE_AUTH=off FLOWFORGE_DATA_DIR="$WORK/d" "$CARGO_TARGET_DIR/release/flowforge" serve --listen 127.0.0.1:3920 > /dev/null 2>&1 &
uvicorn --workers 2 --app-dir bench math_fastapi:app --host 127.0.0.1 --port 3921 --log-level warning > /dev/null 2>&1 &
wait_port 3920; wait_port 3921
for op in "matrix/multiply:multiply" "matrix/inverse:inverse" "statistics/describe:describe" "evaluate:evaluate"; do
  path="${op%%:*}"; file="${op##*:}"
  hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-markdown "$WORK/$file.md" \
    -n "FlowForge $path" "curl -s -f -o /dev/null -H content-type:application/json --data-binary @$WORK/$file.json http://127.0.0.1:3920/api/v1/math/$path" \
    -n "FastAPI+NumPy $path" "curl -s -f -o /dev/null -H content-type:application/json --data-binary @$WORK/$file.json http://127.0.0.1:3921/api/v1/math/$path" > /dev/null
  tail -n 2 "$WORK/$file.md"
done
echo "== in-process kernels (500 x 500), NumPy:"
python3 -c "
import numpy as np, timeit
rng = np.random.default_rng(1); a, b = rng.normal(0, 1, (500, 500)), rng.normal(0, 1, (500, 500))
for name, f in [('multiply', lambda: a @ b), ('inverse', lambda: np.linalg.inv(a))]:
    t = min(timeit.repeat(f, number=20, repeat=5)) / 20
    print(f'numpy {name}: {t*1e3:.2f} ms')"
