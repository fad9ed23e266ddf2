#!/usr/bin/env bash
# PDF rendering against poppler's pdftoppm, side by side in one run (issue 14's render goal):
# every page of a 20-page text document at 150 DPI to PNG, by `pdftoppm -r 150 -png` and by
# POST /api/v1/pdf/render?pages=all&dpi=150 (a ZIP of PNGs) on the release `pdf-service`, whose
# PDFium workers (2, as by default) are started by a warm-up request.
#   bash bench/pdf-render.sh     # needs poppler-utils, hyperfine, curl; fetches PDFium with pip
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cargo build --release -q -p flowforge-pdf --bin pdf-service
python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
objs = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
kids = []
for k in range(1, 21):
    lines = " ".join(f"0 -14 Td (Line {n} of page {k}: the quick brown fox jumps over the lazy dog.) Tj" for n in range(1, 46))
    c = f"BT /F1 11 Tf 72 760 Td {lines} ET 0.2 0.4 0.8 rg 72 40 451 8 re f"
    objs.append(f"<< /Length {len(c)} >>\nstream\n{c}\nendstream")
    objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objs)} 0 R >>")
    kids.append(f"{len(objs)} 0 R")
objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count 20 >>"
out = b"%PDF-1.7\n"
offs = []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += f"{i + 1} 0 obj\n{o}\nendobj\n".encode()
x = len(out)
out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
out += b"".join(f"{o:010} 00000 n \n".encode() for o in offs)
out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
open(f"{w}/doc.pdf", "wb").write(out)
PY
FLOWFORGE_MODELS_DIR="${FLOWFORGE_MODELS_DIR:-$(dirname "$CARGO_TARGET_DIR")/cache/models}" \
  FLOWFORGE_LISTEN=127.0.0.1:3964 "$CARGO_TARGET_DIR/release/pdf-service" > /dev/null 2>&1 &
wait_port 3964
URL='http://127.0.0.1:3964/api/v1/pdf/render?pages=all&dpi=150'
for _ in 1 2; do curl -sf -o /dev/null -H content-type:application/pdf --data-binary @"$WORK/doc.pdf" "$URL"; done
hyperfine -N --warmup 2 --runs "${RUNS:-10}" \
  -n "pdftoppm -r 150 -png (20 pages)" "pdftoppm -r 150 -png $WORK/doc.pdf $WORK/p" \
  -n "flowforge pdf/render over HTTP (20 pages, ZIP)" "curl -sf -o $WORK/pages.zip -H content-type:application/pdf --data-binary @$WORK/doc.pdf $URL"
unzip -l "$WORK/pages.zip" | tail -1
