#!/usr/bin/env bash
# Two builds of `flowforge`, side by side in one run on one machine: the small-request pair
# (sha256 of 100 bytes as JSON under wrk, 64 connections) and one heavy request per service
# (math: inverse of a 300 x 300 matrix; data: a jq filter over a 16 MB array; image: a
# 12-megapixel JPEG resized to 800 px WebP; crypto: sha256 of a 64 MiB raw body), each server
# in turn, twice. For a change that must not regress (issue 13's reshaping):
#
#   bash bench/compare-builds.sh BEFORE_BINARY AFTER_BINARY     # needs wrk, hyperfine, curl
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
A="$1"; B="$2"; DURATION="${DURATION:-10s}"
python3 - "$WORK" <<'PY'
import json, random, sys, io
w = sys.argv[1]
random.seed(1)
n = 300
json.dump({"matrix": [[random.random() + (10 if i == j else 0) for j in range(n)] for i in range(n)]}, open(f"{w}/matrix.json", "w"))
cities = ["Berlin", "Paris", "Lisbon", "Oslo", "Rome", "Madrid", "Vienna", "Prague"]
rows = [{"id": i, "name": f"user{i}", "age": random.randint(18, 90), "city": random.choice(cities),
         "score": round(random.random() * 100, 3)} for i in range(200_000)]
json.dump(rows, open(f"{w}/rows.json", "w"))
PY
# A 4000 x 3000 photo-like PNG (smooth light, shapes, texture), made JPEG by the first build.
python3 - "$WORK" <<'PY'
import math, struct, sys, zlib
w, h = 4000, 3000
rows = bytearray()
for y in range(h):
    rows.append(0)
    for x in range(w):
        r = 120 + 80 * math.sin(x / 300) * math.cos(y / 410) + 30 * math.sin((x + y) / 23)
        g = 110 + 70 * math.cos(x / 520) + 25 * math.sin(x / 9) * math.sin(y / 13)
        b = 100 + 60 * math.sin(y / 260) + 40 * (((x // 200) + (y // 200)) % 2)
        rows += bytes((int(r) & 255, int(g) & 255, int(b) & 255))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(bytes(rows), 1)) + chunk(b"IEND", b"")
open(f"{sys.argv[1]}/photo.png", "wb").write(png)
PY
head -c $((64 << 20)) /dev/urandom > "$WORK/blob"
ls -l "$WORK"
start() { FLOWFORGE_AUTH=off FLOWFORGE_DATA_DIR="$WORK/d$2" "$1" serve --listen "127.0.0.1:$2" > /dev/null 2>&1 & wait_port "$2"; }
start "$A" 3960; start "$B" 3961
curl -sf -X POST -H content-type:image/png --data-binary @"$WORK/photo.png" \
  'http://127.0.0.1:3960/api/v1/image/convert?format=jpeg&quality=90' -o "$WORK/photo.jpg"
echo "== small requests: sha256 of 100 bytes as JSON, wrk -t2 -c64 -d$DURATION, each in turn, twice"
for round in 1 2; do
  for p in 3960 3961; do
    r=$(wrk -t2 -c64 -d"$DURATION" -s bench/post-hash.lua "http://127.0.0.1:$p/api/v1/crypto/hash" | awk '/Requests\/sec/ {print $2}')
    echo "round $round $( [ $p = 3960 ] && echo before || echo after ): $r req/s"
  done
done
echo "== heavy requests (hyperfine, curl per run)"
req() { echo "curl -sf -o /dev/null -X POST $1"; }
hyperfine -N --warmup 2 --runs "${RUNS:-10}" \
  -n 'before: math/matrix/inverse 300x300' "$(req "-H content-type:application/json --data-binary @$WORK/matrix.json http://127.0.0.1:3960/api/v1/math/matrix/inverse")" \
  -n 'after:  math/matrix/inverse 300x300' "$(req "-H content-type:application/json --data-binary @$WORK/matrix.json http://127.0.0.1:3961/api/v1/math/matrix/inverse")" \
  -n 'before: data/jq select-project, 16 MB' "$(req "-H content-type:application/json --data-binary @$WORK/rows.json http://127.0.0.1:3960/api/v1/data/jq?filter=map(select(.age%3E30)%7C%7Bname,city%7D)")" \
  -n 'after:  data/jq select-project, 16 MB' "$(req "-H content-type:application/json --data-binary @$WORK/rows.json http://127.0.0.1:3961/api/v1/data/jq?filter=map(select(.age%3E30)%7C%7Bname,city%7D)")" \
  -n 'before: image/resize 12 MP JPEG to 800 px WebP' "$(req "-H content-type:image/jpeg --data-binary @$WORK/photo.jpg http://127.0.0.1:3960/api/v1/image/resize?width=800&format=webp")" \
  -n 'after:  image/resize 12 MP JPEG to 800 px WebP' "$(req "-H content-type:image/jpeg --data-binary @$WORK/photo.jpg http://127.0.0.1:3961/api/v1/image/resize?width=800&format=webp")" \
  -n 'before: crypto/hash 64 MiB streamed' "$(req "-T $WORK/blob -H content-type:application/octet-stream -H Expect: http://127.0.0.1:3960/api/v1/crypto/hash?algorithm=sha256")" \
  -n 'after:  crypto/hash 64 MiB streamed' "$(req "-T $WORK/blob -H content-type:application/octet-stream -H Expect: http://127.0.0.1:3961/api/v1/crypto/hash?algorithm=sha256")"
