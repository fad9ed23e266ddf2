//! N-up: several pages on each sheet, scaled into a grid (2, 4, 6, 8, 9 or 16 per sheet), in
//! reading order across or down. Each page becomes a Form XObject of its own content, turned
//! upright where it has a `/Rotate`; sheets are new pages.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::document;
use crate::error::PdfError;
use crate::geometry::{Geometry, geometry};

/// How a sheet's grid is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Left to right, then down.
    Across,
    /// Top to bottom, then right.
    Down,
}

/// What to lay out.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Pages per sheet: 2, 4, 6, 8, 9 or 16.
    pub per_sheet: usize,
    /// The sheet's size in points (width, height, as shown); `None`: from the first page.
    pub sheet: Option<(f32, f32)>,
    /// Space around the grid and between cells, in points.
    pub margin: f32,
    /// A thin frame around each page.
    pub border: bool,
    /// Fill order.
    pub order: Order,
}

/// Columns and rows for a count, and whether the sheet is landscape for portrait pages.
fn grid(per_sheet: usize) -> Option<(usize, usize, bool)> {
    match per_sheet {
        2 => Some((2, 1, true)),
        4 => Some((2, 2, false)),
        6 => Some((3, 2, true)),
        8 => Some((4, 2, true)),
        9 => Some((3, 3, false)),
        16 => Some((4, 4, false)),
        _ => None,
    }
}

/// The matrix from a page's space to its shown frame (origin at the shown lower left).
fn upright(g: &Geometry) -> [f32; 6] {
    let (x0, y0, w, h) = (g.x0, g.y0, g.w, g.h);
    match g.rotate {
        90 => [0.0, -1.0, 1.0, 0.0, -y0, x0 + w],
        180 => [-1.0, 0.0, 0.0, -1.0, x0 + w, y0 + h],
        270 => [0.0, 1.0, -1.0, 0.0, y0 + h, -x0],
        _ => [1.0, 0.0, 0.0, 1.0, -x0, -y0],
    }
}

fn reals(v: &[f32]) -> Object {
    Object::Array(v.iter().map(|&x| Object::Real(x)).collect())
}

/// Lay `pages` (in order) of `doc` onto new sheets; returns how many sheets.
pub fn apply(doc: &mut Document, pages: &[ObjectId], how: &Layout) -> Result<usize, PdfError> {
    let (cols, rows, landscape) = grid(how.per_sheet)
        .ok_or_else(|| PdfError::invalid("perSheet", "must be 2, 4, 6, 8, 9 or 16"))?;
    let Some(&first) = pages.first() else {
        return Err(PdfError::invalid("pages", "selects no pages"));
    };
    let (sw, sh) = match how.sheet {
        Some(s) => s,
        None => {
            let (w, h) = geometry(doc, first).shown();
            let (short, long) = (w.min(h), w.max(h));
            if landscape {
                (long, short)
            } else {
                (short, long)
            }
        }
    };
    let m = how.margin;
    let cell_w = (sw - m * (cols as f32 + 1.0)) / cols as f32;
    let cell_h = (sh - m * (rows as f32 + 1.0)) / rows as f32;
    if cell_w < 1.0 || cell_h < 1.0 {
        return Err(PdfError::invalid(
            "margin",
            "leaves no room for the pages on the sheet",
        ));
    }
    // Each page, once, as a form.
    let mut forms = Vec::with_capacity(pages.len());
    for &p in pages {
        let g = geometry(doc, p);
        let content = doc.get_page_content(p);
        let resources = match document::inherited(doc, p, b"Resources") {
            Some(Object::Reference(r)) => doc.get_object(r).cloned().unwrap_or(Object::Null),
            Some(o) => o,
            None => Object::Dictionary(Dictionary::new()),
        };
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Form".to_vec()));
        d.set("BBox", reals(&[g.x0, g.y0, g.x0 + g.w, g.y0 + g.h]));
        d.set("Matrix", reals(&upright(&g)));
        d.set("Resources", resources);
        let id = doc.add_object(Object::Stream(Stream::new(d, content)));
        forms.push((id, g.shown()));
    }
    let mut sheets = Vec::new();
    for chunk in forms.chunks(how.per_sheet) {
        let mut xobjects = Dictionary::new();
        let mut ops = String::new();
        for (k, &(form, (pw, ph))) in chunk.iter().enumerate() {
            let (col, row) = match how.order {
                Order::Across => (k % cols, k / cols),
                Order::Down => (k / rows, k % rows),
            };
            let s = (cell_w / pw).min(cell_h / ph);
            let (w, h) = (pw * s, ph * s);
            let cx = m + col as f32 * (cell_w + m);
            let cy = sh - m - (row as f32 + 1.0) * cell_h - row as f32 * m;
            let (x, y) = (cx + (cell_w - w) / 2.0, cy + (cell_h - h) / 2.0);
            let name = format!("P{k}");
            xobjects.set(name.as_bytes(), Object::Reference(form));
            ops.push_str(&format!("q {s} 0 0 {s} {x} {y} cm /{name} Do Q\n"));
            if how.border {
                ops.push_str(&format!("q 0.5 w 0.6 G {x} {y} {w} {h} re S Q\n"));
            }
        }
        let content = doc.add_object(Stream::new(Dictionary::new(), ops.into_bytes()));
        let mut res = Dictionary::new();
        res.set("XObject", Object::Dictionary(xobjects));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("MediaBox", reals(&[0.0, 0.0, sw, sh]));
        page.set("Resources", Object::Dictionary(res));
        page.set("Contents", Object::Reference(content));
        sheets.push(doc.add_object(page));
    }
    document::set_pages(doc, &sheets)?;
    Ok(sheets.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upright_undoes_the_shown_matrix() {
        // Shown → page (overlay's matrix) then page → shown (upright) is the identity.
        for rotate in [0, 90, 180, 270] {
            let g = Geometry {
                x0: 10.0,
                y0: 20.0,
                w: 100.0,
                h: 200.0,
                rotate,
            };
            let (m, u) = (g.matrix(), upright(&g));
            for (a, b) in [(0.0, 0.0), (30.0, 5.0), (7.0, 90.0)] {
                let (x, y) = (m[0] * a + m[2] * b + m[4], m[1] * a + m[3] * b + m[5]);
                let (p, q) = (u[0] * x + u[2] * y + u[4], u[1] * x + u[3] * y + u[5]);
                assert!(
                    (p - a).abs() < 1e-3 && (q - b).abs() < 1e-3,
                    "rotate {rotate}: ({a}, {b}) came back as ({p}, {q})"
                );
            }
        }
        let at =
            |m: [f32; 6], x: f32, y: f32| (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]);
        for rotate in [0, 90, 180, 270] {
            let g = Geometry {
                x0: 10.0,
                y0: 20.0,
                w: 100.0,
                h: 200.0,
                rotate,
            };
            let (sw, sh) = g.shown();
            // The page's corners land on the shown frame's corners.
            let corners = [(10.0, 20.0), (110.0, 20.0), (10.0, 220.0), (110.0, 220.0)];
            let mut got: Vec<(i32, i32)> = corners
                .iter()
                .map(|&(x, y)| {
                    let (u, v) = at(upright(&g), x, y);
                    (u.round() as i32, v.round() as i32)
                })
                .collect();
            got.sort();
            let mut want = vec![
                (0, 0),
                (sw as i32, 0),
                (0, sh as i32),
                (sw as i32, sh as i32),
            ];
            want.sort();
            assert_eq!(got, want, "rotate {rotate}");
        }
    }

    #[test]
    fn grids() {
        assert_eq!(grid(2), Some((2, 1, true)));
        assert_eq!(grid(9), Some((3, 3, false)));
        assert_eq!(grid(5), None);
    }
}
