#!/usr/bin/env bash
# PDF rendering against poppler's pdftoppm, side by side in one run (issue 14's render goal):
# every page of a 20-page text document at 150 DPI to PNG, by `pdftoppm -r 150 -png` and by
# POST /api/v1/pdf/render?pages=all&dpi=150 (a ZIP of PNGs) on the release `pdf-service`, whose
# PDFium workers (2, as by default) are started by a warm-up request.
#   bash bench/pdf-render.sh     # needs poppler-utils, hyperfine, curl; fetches PDFium with pip
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
python3 bench/pdfgen.py "$WORK/doc.pdf" --pages 20 --lines 45 --rect
pdf_service 3964
URL='http://127.0.0.1:3964/api/v1/pdf/render?pages=all&dpi=150'
for _ in 1 2; do curl -sf -o /dev/null -H content-type:application/pdf --data-binary @"$WORK/doc.pdf" "$URL"; done
hyperfine -N --warmup 2 --runs "${RUNS:-10}" \
  -n "pdftoppm -r 150 -png (20 pages)" "pdftoppm -r 150 -png $WORK/doc.pdf $WORK/p" \
  -n "flowforge pdf/render over HTTP (20 pages, ZIP)" "curl -sf -o $WORK/pages.zip -H content-type:application/pdf --data-binary @$WORK/doc.pdf $URL"
unzip -l "$WORK/pages.zip" | tail -1
