#!/usr/bin/env bash
# PDF text extraction against poppler's pdftotext, side by side in one run (issue 14's text
# goal): a 120-page text document (45 lines a page, written here), all pages, by
# `pdftotext doc.pdf -` and by POST /api/v1/pdf/text (words and lines with boxes, as JSON) on the
# release `pdf-service`, whose PDFium workers are started by a warm-up request.
#   bash bench/pdf-text.sh     # needs poppler-utils, hyperfine, curl; fetches PDFium with pip
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
python3 bench/pdfgen.py "$WORK/doc.pdf" --pages 120 --lines 45
pdf_service 3965
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
