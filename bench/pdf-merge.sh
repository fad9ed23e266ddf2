#!/usr/bin/env bash
# PDF merge against qpdf, side by side in one run (issue 14's merge goal): 100 files of 5 pages
# each (text pages, written here) merged by `qpdf --empty --pages … --` and by
# POST /api/v1/pdf/merge (multipart, the repeated field `files`, as n8n sends them) on the
# release `pdf-service`. Both outputs are checked with `qpdf --check` and counted.
#   bash bench/pdf-merge.sh     # needs qpdf, hyperfine, curl
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
python3 bench/pdfgen.py "$WORK/f{:03}.pdf" --files 100 --pages 5
FILES=$(ls "$WORK"/f*.pdf)
FORM=$(for f in $FILES; do printf -- '-F files=@%s ' "$f"; done)
pdf_service 3963
hyperfine -N --warmup 2 --runs "${RUNS:-15}" \
  -n "qpdf --empty --pages (100 files)" "qpdf --empty --pages $FILES -- $WORK/q.pdf" \
  -n "flowforge pdf/merge over HTTP (100 files)" "curl -sf -o $WORK/m.pdf $FORM http://127.0.0.1:3963/api/v1/pdf/merge"
for f in q m; do
  qpdf --check "$WORK/$f.pdf" > /dev/null && echo "$f.pdf: qpdf --check clean, $(qpdf --show-npages "$WORK/$f.pdf") pages, $(stat -c %s "$WORK/$f.pdf") bytes"
done
