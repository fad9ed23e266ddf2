"""Text PDFs for the PDF benchmarks, written object by object (Helvetica, one content stream a
page), so each benchmark's input is the same on every machine.

    python3 bench/pdfgen.py OUT.pdf --pages 20 --lines 45 [--rect]    # full text pages, A4
    python3 bench/pdfgen.py 'DIR/f{:03}.pdf' --files 100 --pages 5   # one title line a page, Letter
"""
import argparse


def write_pdf(path, contents, size):
    """A PDF at `path` whose pages (`size` points) draw `contents`, one stream each."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for c in contents:
        objs.append(f"<< /Length {len(c)} >>\nstream\n{c}\nendstream")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}] /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objs)} 0 R >>")
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(contents)} >>"
    out = b"%PDF-1.7\n"
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += f"{i + 1} 0 obj\n{o}\nendobj\n".encode()
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010} 00000 n \n".encode() for o in offs)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
    with open(path, "wb") as f:
        f.write(out)


def text_page(k, lines, rect):
    """Page `k`: `lines` lines of 11-point text, and a coloured bar at the foot with `rect`."""
    body = " ".join(f"0 -14 Td (Line {n} of page {k}: the quick brown fox jumps over the lazy dog.) Tj" for n in range(1, lines + 1))
    c = f"BT /F1 11 Tf 72 760 Td {body} ET"
    return c + " 0.2 0.4 0.8 rg 72 40 451 8 re f" if rect else c


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out", help="the file, or with --files a pattern with {} for the file's number")
    p.add_argument("--pages", type=int, required=True)
    p.add_argument("--lines", type=int, help="full text pages of this many lines (A4); else one title line (Letter)")
    p.add_argument("--rect", action="store_true")
    p.add_argument("--files", type=int, help="this many files, each --pages long")
    a = p.parse_args()
    if a.files is None:
        write_pdf(a.out, [text_page(k, a.lines, a.rect) for k in range(1, a.pages + 1)], (595, 842))
        return
    for f in range(a.files):
        contents = [f"BT /F1 18 Tf 72 720 Td (File {f} page {k}: a line of text to carry) Tj ET" for k in range(1, a.pages + 1)]
        write_pdf(a.out.format(f), contents, (612, 792))


if __name__ == "__main__":
    main()
