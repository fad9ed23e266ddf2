#!/usr/bin/env bash
# PDF merge against qpdf, side by side in one run (issue 14's merge goal): 100 files of 5 pages
# each (text pages, written here) merged by `qpdf --empty --pages … --` and by
# POST /api/v1/pdf/merge (multipart, the repeated field `files`, as n8n sends them) on the
# release `pdf-service`. Both outputs are checked with `qpdf --check` and counted.
#   bash bench/pdf-merge.sh     # needs qpdf, hyperfine, curl
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
cargo build --release -q -p flowforge-pdf --bin pdf-service
python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
for f in range(100):
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for k in range(1, 6):
        c = f"BT /F1 18 Tf 72 720 Td (File {f} page {k}: a line of text to carry) Tj ET"
        objs.append(f"<< /Length {len(c)} >>\nstream\n{c}\nendstream")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objs)} 0 R >>")
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count 5 >>"
    out = b"%PDF-1.7\n"
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += f"{i + 1} 0 obj\n{o}\nendobj\n".encode()
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010} 00000 n \n".encode() for o in offs)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
    open(f"{w}/f{f:03}.pdf", "wb").write(out)
PY
FILES=$(ls "$WORK"/f*.pdf)
FORM=$(for f in $FILES; do printf -- '-F files=@%s ' "$f"; done)
FLOWFORGE_LISTEN=127.0.0.1:3963 "$CARGO_TARGET_DIR/release/pdf-service" > /dev/null 2>&1 &
wait_port 3963
hyperfine -N --warmup 2 --runs "${RUNS:-15}" \
  -n "qpdf --empty --pages (100 files)" "qpdf --empty --pages $FILES -- $WORK/q.pdf" \
  -n "flowforge pdf/merge over HTTP (100 files)" "curl -sf -o $WORK/m.pdf $FORM http://127.0.0.1:3963/api/v1/pdf/merge"
for f in q m; do
  qpdf --check "$WORK/$f.pdf" > /dev/null && echo "$f.pdf: qpdf --check clean, $(qpdf --show-npages "$WORK/$f.pdf") pages, $(stat -c %s "$WORK/$f.pdf") bytes"
done
