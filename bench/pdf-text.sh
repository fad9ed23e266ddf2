#!/usr/bin/env bash
# PDF text extraction against poppler's pdftotext, side by side in one run (issue 14's text
# goal): a 120-page text document (45 lines a page, written here), all pages, by
# `pdftotext doc.pdf -` and by POST /api/v1/pdf/text (words and lines with boxes, as JSON) on the
# release `pdf-service`, whose PDFium workers are started by a warm-up request.
#   bash bench/pdf-text.sh     # needs poppler-utils, hyperfine, curl; fetches PDFium with pip
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cargo build --release -q -p flowforge-pdf --bin pdf-service
python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
objs = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
kids = []
for k in range(1, 121):
    lines = " ".join(f"0 -14 Td (Line {n} of page {k}: the quick brown fox jumps over the lazy dog.) Tj" for n in range(1, 46))
    c = f"BT /F1 11 Tf 72 760 Td {lines} ET"
    objs.append(f"<< /Length {len(c)} >>\nstream\n{c}\nendstream")
    objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objs)} 0 R >>")
    kids.append(f"{len(objs)} 0 R")
objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count 120 >>"
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
  FLOWFORGE_LISTEN=127.0.0.1:3965 "$CARGO_TARGET_DIR/release/pdf-service" > /dev/null 2>&1 &
wait_port 3965
URL='http://127.0.0.1:3965/api/v1/pdf/text'
for _ in 1 2; do curl -sf -o /dev/null -H content-type:application/pdf --data-binary @"$WORK/doc.pdf" "$URL"; done
hyperfine -N --warmup 2 --runs "${RUNS:-10}" \
  -n "pdftotext (120 pages, plain text)" "pdftotext $WORK/doc.pdf $WORK/doc.txt" \
  -n "flowforge pdf/text over HTTP (120 pages, words and lines with boxes)" "curl -sf -o $WORK/doc.json -H content-type:application/pdf --data-binary @$WORK/doc.pdf $URL"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ours = [x["text"] for p in json.load(open(f"{w}/doc.json"))["pages"] for x in p["words"]]
theirs = open(f"{w}/doc.txt").read().split()
same = sum(a == b for a, b in zip(ours, theirs))
print(f"words: ours {len(ours)}, pdftotext {len(theirs)}, same in order {same}")
PY
