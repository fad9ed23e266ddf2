#!/usr/bin/env bash
# PDF text extraction against poppler's pdftotext, side by side in one run (issue 14's text
# goal), on two documents: a 120-page text document (45 lines a page, written here) and a real
# one, issue-604.pdf from pypdf 5.1.0's source package (137 pages of guidelines with tables and
# sidebars; fetched once with pip into the cache beside the target directory). FlowForge is the
# release `pdf-service` over HTTP (its PDFium workers started by warm-up requests) at each
# `detail`: `text` (plain text, what pdftotext writes), `words` (the default: lines and words
# with boxes), and `layout=true` against `pdftotext -layout`.
#   bash bench/pdf-text.sh     # needs poppler-utils, hyperfine, curl; fetches PDFium with pip
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CACHE="$(dirname "$CARGO_TARGET_DIR")/cache"
python3 bench/pdfgen.py "$WORK/doc.pdf" --pages 120 --lines 45
if [ ! -f "$CACHE/pypdf-5.1.0/resources/issue-604.pdf" ]; then
  mkdir -p "$CACHE" && python3 -m pip download -q --no-deps --no-binary=:all: pypdf==5.1.0 -d "$CACHE"
  tar xzf "$CACHE/pypdf-5.1.0.tar.gz" -C "$CACHE"
fi
cp "$CACHE/pypdf-5.1.0/resources/issue-604.pdf" "$WORK/real.pdf"
pdf_service 3965
URL='http://127.0.0.1:3965/api/v1/pdf/text'
for _ in 1 2; do
  curl -sf -o /dev/null -H content-type:application/pdf --data-binary @"$WORK/doc.pdf" "$URL"
  curl -sf -o /dev/null -H content-type:application/pdf --data-binary @"$WORK/real.pdf" "$URL"
done
for doc in doc real; do
  hyperfine -N --warmup 2 --runs "${RUNS:-10}" \
    -n "pdftotext $doc.pdf" "pdftotext $WORK/$doc.pdf $WORK/$doc.txt" \
    -n "flowforge detail=text $doc.pdf" "curl -sf -o $WORK/$doc-text.json -H content-type:application/pdf --data-binary @$WORK/$doc.pdf $URL?detail=text" \
    -n "flowforge detail=words $doc.pdf" "curl -sf -o $WORK/$doc.json -H content-type:application/pdf --data-binary @$WORK/$doc.pdf $URL" \
    -n "pdftotext -layout $doc.pdf" "pdftotext -layout $WORK/$doc.pdf $WORK/$doc-layout.txt" \
    -n "flowforge layout=true detail=text $doc.pdf" "curl -sf -o $WORK/$doc-layout.json -H content-type:application/pdf --data-binary @$WORK/$doc.pdf $URL?detail=text&layout=true"
done
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ours = [x["text"] for p in json.load(open(f"{w}/doc.json"))["pages"] for x in p["words"]]
theirs = open(f"{w}/doc.txt").read().split()
same = sum(a == b for a, b in zip(ours, theirs))
print(f"doc.pdf words: ours {len(ours)}, pdftotext {len(theirs)}, same in order {same}")
PY
