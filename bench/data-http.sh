#!/usr/bin/env bash
# Data-transform over HTTP, side by side in one run:
#   jq filters over a ~100 MB JSON array: FlowForge (raw body, filter in the query string)
#   against the `jq` binary on the same file; CSV of ~100 MB to JSON records: FlowForge against
#   Miller (`mlr --icsv --ojson cat`), with peak memory of each.
#   bash bench/data-http.sh     # needs hyperfine, curl, jq, miller (Debian packages), python3
#   DATA_JQ_THREADS=1 bash bench/data-http.sh   # FlowForge on one thread per request
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cargo build --release -q -p flowforge
python3 - "$WORK" "${MB:-100}" <<'PY'
import json, random, sys
w, mb = sys.argv[1], int(sys.argv[2])
random.seed(1)
cities = ["Berlin", "Paris", "Lisbon", "Oslo", "Rome", "Madrid", "Vienna", "Prague"]
rows, size = [], 0
while size < mb * 1_000_000:
    r = {"id": len(rows), "name": f"user{len(rows)}", "age": random.randint(18, 90),
         "city": random.choice(cities), "score": round(random.random() * 100, 3),
         "tags": random.sample(["a", "b", "c", "d", "e"], 2), "active": random.random() < 0.5}
    rows.append(r)
    size += 120
with open(f"{w}/big.json", "w") as f:
    json.dump(rows, f)
with open(f"{w}/big.csv", "w") as f:
    f.write("id,name,age,city,score,active\n")
    n, size = 0, 0
    while size < mb * 1_000_000:
        r = rows[n % len(rows)]
        line = f'{n},{r["name"]},{r["age"]},{r["city"]},{r["score"]},{str(r["active"]).lower()}\n'
        f.write(line)
        size += len(line)
        n += 1
PY
ls -l "$WORK"/big.*
FLOWFORGE_AUTH=off FLOWFORGE_DATA_DIR="$WORK/d" DATA_JQ_THREADS="${DATA_JQ_THREADS:-$(nproc)}" \
  "$CARGO_TARGET_DIR/release/flowforge" serve --listen 127.0.0.1:3930 > /dev/null 2>&1 &
FF=$!
wait_port 3930
urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
i=0
for f in 'map(select(.age > 30) | {name, city})' \
         'group_by(.city) | map({city: .[0].city, n: length, avg: (map(.score) | add / length)})' \
         '[.[] | select(.active and (.tags | index("a"))) | .score] | sort | .[length / 2 | floor]'; do
  i=$((i + 1))
  q="$(urlenc "$f")"
  # Same answer from both (FlowForge wraps the outputs in {"outputs":[…]}).
  a="$(jq -c "$f" "$WORK/big.json" | md5sum)"
  b="$(curl -s -f --data-binary @"$WORK/big.json" "http://127.0.0.1:3930/api/v1/data/jq?filter=$q" | jq -c '.outputs[]' | md5sum)"
  [ "$a" = "$b" ] || { echo "filter $i: outputs differ" >&2; exit 1; }
  echo "== jq filter $i: $f"
  hyperfine -N --warmup 1 --runs "${RUNS:-5}" --export-markdown "$WORK/jq$i.md" \
    -n "FlowForge" "curl -s -f -o /dev/null --data-binary @$WORK/big.json http://127.0.0.1:3930/api/v1/data/jq?filter=$q" \
    -n "jq $(jq --version)" "jq -c '$f' $WORK/big.json" > /dev/null
  tail -n 2 "$WORK/jq$i.md"
done
echo "== CSV to JSON records"
hyperfine -N --warmup 1 --runs "${RUNS:-5}" --export-markdown "$WORK/csv.md" \
  -n "FlowForge" "curl -s -f -o /dev/null --data-binary @$WORK/big.csv http://127.0.0.1:3930/api/v1/data/convert?from=csv&to=json" \
  -n "Miller $(mlr --version)" "mlr --icsv --ojson cat $WORK/big.csv" > /dev/null
tail -n 2 "$WORK/csv.md"
echo "== peak memory (KiB): FlowForge server VmHWM after all runs, Miller max RSS"
grep VmHWM "/proc/$FF/status"
/usr/bin/time -f "mlr maxrss %M" mlr --icsv --ojson cat "$WORK/big.csv" > /dev/null
