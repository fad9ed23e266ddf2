#!/usr/bin/env bash
# Image service against Sharp, side by side in one run (issue 4's three tasks):
#   (a) a 4000 × 3000 JPEG resized to 800 px wide, JPEG quality 80;
#   (b) a 1600 × 1200 PNG with alpha to WebP quality 80;
#   (c) a 10-step pipeline on the JPEG.
# Images per second with two jobs in flight on each side (2 cores), output sizes, and SSIM of (a)
# against a reference Lanczos downscale made by Pillow from the same photo.
#   bash bench/image-http.sh     # needs node + npm (installs sharp into a temp dir), wrk, python3 with pillow and numpy
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cargo build --release -q -p flowforge-image --bin image-service
SHARP_DIR="${SHARP_DIR:-$WORK/sharp}"
if [ ! -d "$SHARP_DIR/node_modules/sharp" ]; then
  mkdir -p "$SHARP_DIR" && (cd "$SHARP_DIR" && npm init -y >/dev/null && npm install --silent sharp@0.34 >/dev/null)
fi
python3 - "$WORK" <<'PY'
import sys
import numpy as np
from PIL import Image
w = sys.argv[1]
rng = np.random.default_rng(1)
y, x = np.mgrid[0:3000, 0:4000].astype(np.float32)
# A photo-like scene: smooth light, large shapes, fine texture and mild sensor noise.
r = 120 + 80 * np.sin(x / 300) * np.cos(y / 410) + 30 * np.sin((x + y) / 23)
g = 110 + 70 * np.cos(x / 520) + 25 * np.sin(x / 9) * np.sin(y / 13)
b = 100 + 60 * np.sin(y / 260) + 40 * ((((x // 200) + (y // 200)) % 2) * 1.0)
img = np.stack([r, g, b], -1) + rng.normal(0, 6, (3000, 4000, 3))
photo = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
photo.save(f"{w}/photo.jpg", quality=90)
Image.open(f"{w}/photo.jpg").convert("RGB").resize((800, 600), Image.LANCZOS).save(f"{w}/ref800.png")
yy, xx = np.mgrid[0:1200, 0:1600].astype(np.float32)
a = np.clip(255 * (1 - np.hypot(xx - 800, yy - 600) / 900), 0, 255)
rgba = np.stack([120 + 100 * np.sin(xx / 40), 120 + 100 * np.cos(yy / 50), 140 + 0 * xx, a], -1)
Image.fromarray(np.clip(rgba, 0, 255).astype(np.uint8), "RGBA").save(f"{w}/alpha.png")
PY
ls -l "$WORK"/photo.jpg "$WORK"/alpha.png
FLOWFORGE_LISTEN=127.0.0.1:3931 FLOWFORGE_DATA_DIR="$WORK/d" "$CARGO_TARGET_DIR/release/image-service" > /dev/null 2>&1 &
wait_port 3931
node bench/image-compare.mjs "$WORK" 3931 "$SHARP_DIR/node_modules/sharp"
cat > "$WORK/post.lua" <<'LUA'
local f = io.open(os.getenv("BODY"), "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("CTYPE")
LUA
while read -r name path file ctype; do
  rps=$(BODY="$WORK/$file" CTYPE="$ctype" wrk -t1 -c2 -d"${SECS:-10}"s -s "$WORK/post.lua" "http://127.0.0.1:3931$path" | awk '/Requests\/sec/ {print $2}')
  sharp=$(python3 -c "import json,sys; r=[x for x in json.load(open('$WORK/rates.json')) if x['file']=='$name'][0]; print(f\"{r['sharp']:.1f}\")")
  echo "$name: FlowForge $rps/s (wrk, 2 connections), Sharp $sharp/s, ratio $(python3 -c "print(f'{$rps/$sharp:.2f}')")x"
done < "$WORK/wrk-tasks.txt"
python3 - "$WORK" <<'PY'
import io, json, sys
import numpy as np
from PIL import Image
w = sys.argv[1]
def ssim(a, b):
    # Grayscale SSIM with an 8 × 8 box window (Wang et al. constants).
    a, b = (np.asarray(i.convert("L"), dtype=np.float64) for i in (a, b))
    def box(m):
        c = np.cumsum(np.cumsum(np.pad(m, ((1, 0), (1, 0))), 0), 1)
        return (c[8:, 8:] - c[:-8, 8:] - c[8:, :-8] + c[:-8, :-8]) / 64
    mu_a, mu_b = box(a), box(b)
    va, vb, cov = box(a * a) - mu_a ** 2, box(b * b) - mu_b ** 2, box(a * b) - mu_a * mu_b
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (va + vb + c2))
    return float(s.mean())
ref = Image.open(f"{w}/ref800.png")
for side in ("ff", "sharp"):
    out = Image.open(io.BytesIO(open(f"{w}/{side}-resize.out", "rb").read()))
    print(f"SSIM (a) {side}: {ssim(out, ref):.4f} ({out.size[0]}×{out.size[1]})")
alpha = Image.open(f"{w}/alpha.png").convert("RGBA")
for side in ("ff", "sharp"):
    out = Image.open(io.BytesIO(open(f"{w}/{side}-webp.out", "rb").read())).convert("RGBA")
    print(f"SSIM (b) {side}: {ssim(out, alpha):.4f}")
PY
