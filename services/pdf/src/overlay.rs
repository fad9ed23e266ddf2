//! Overlays: text or an image laid over (or under) pages: watermarks, stamps, page numbers,
//! headers and footers. Typst typesets one overlay page per chosen page at that page's visible
//! size (so shaping, any script and fonts are right); each overlay page becomes a Form XObject
//! drawn on its page, turned to match the page's `/Rotate` and moved to its crop box.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use serde::Serialize;

use crate::document;
use crate::error::PdfError;
pub use crate::geometry::{Geometry, geometry};

/// The Typst source every overlay is typeset with: the pages and what goes on them come as data.
pub const SOURCE: &str = r#"#let d = sys.inputs.data
#let spots = (
  "top-left": top + left, "top": top + center, "top-center": top + center, "top-right": top + right,
  "left": horizon + left, "center": horizon + center, "right": horizon + right,
  "bottom-left": bottom + left, "bottom": bottom + center, "bottom-center": bottom + center, "bottom-right": bottom + right,
)
#set page(margin: 0pt)
#for (i, p) in d.pages.enumerate() {
  if i > 0 { pagebreak() }
  set page(width: p.w * 1pt, height: p.h * 1pt)
  for it in p.items {
    let at = spots.at(it.at)
    let dx = if it.at.ends-with("left") { it.margin } else if it.at.ends-with("right") { -it.margin } else { 0 }
    let dy = if it.at.starts-with("top") { it.margin } else if it.at.starts-with("bottom") { -it.margin } else { 0 }
    let body = if it.image {
      image(sys.inputs.stamp, width: it.width * 1pt)
    } else {
      let colour = rgb(it.color).transparentize((1 - it.opacity) * 100%)
      text(font: (..it.fonts, "DejaVu Sans", "Libertinus Serif"), size: it.size * 1pt, fill: colour, weight: if it.bold { "bold" } else { "regular" }, it.text)
    }
    let body = if it.image and it.opacity < 1 { box(body) } else { body }
    place(at, dx: dx * 1pt, dy: dy * 1pt, if it.angle != 0 { rotate(-it.angle * 1deg, reflow: true, body) } else { body })
  }
}
"#;

/// Where on the page a piece goes.
pub const POSITIONS: &[&str] = &[
    "top-left",
    "top",
    "top-center",
    "top-right",
    "left",
    "center",
    "right",
    "bottom-left",
    "bottom",
    "bottom-center",
    "bottom-right",
];

/// One piece on an overlay page.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// A position from [`POSITIONS`].
    pub at: String,
    /// Distance from the edges it is placed against, in points.
    pub margin: f32,
    /// The text (unless `image`).
    pub text: String,
    /// The image (`sys.inputs.stamp`) instead of text.
    pub image: bool,
    /// The image's width in points.
    pub width: f32,
    /// Font families to try first.
    pub fonts: Vec<String>,
    /// Text size in points.
    pub size: f32,
    /// `#rrggbb`.
    pub color: String,
    /// 0 (invisible) to 1.
    pub opacity: f32,
    /// Degrees counter-clockwise.
    pub angle: f32,
    /// Bold text.
    pub bold: bool,
}

/// One overlay page: the visible size of the page it goes on, and its pieces.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    /// Width in points, as the page is shown.
    pub w: f32,
    /// Height in points, as shown.
    pub h: f32,
    /// What goes on it.
    pub items: Vec<Item>,
}

/// Move the pages of `typeset` (a PDF Typst made) into `doc` as Form XObjects, in order, with
/// the objects they use; returns each form and its page's geometry.
pub fn import_pages(
    doc: &mut Document,
    mut typeset: Document,
) -> Result<Vec<(ObjectId, Geometry)>, PdfError> {
    typeset.renumber_objects_with(doc.max_id + 1);
    let sheets = document::page_ids(&typeset, usize::MAX, "overlay")?;
    let mut forms = Vec::with_capacity(sheets.len());
    for &sheet in &sheets {
        let page = typeset
            .get_dictionary(sheet)
            .map_err(|_| PdfError::internal("", "a typeset page vanished"))?
            .clone();
        let content = typeset.get_page_content(sheet);
        let resources = match page.get(b"Resources") {
            Ok(Object::Reference(r)) => typeset.get_object(*r).cloned().unwrap_or(Object::Null),
            Ok(o) => o.clone(),
            Err(_) => Object::Dictionary(Dictionary::new()),
        };
        let g = geometry(&typeset, sheet);
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Form".to_vec()));
        dict.set(
            "BBox",
            Object::Array(vec![
                Object::Real(g.x0),
                Object::Real(g.y0),
                Object::Real(g.x0 + g.w),
                Object::Real(g.y0 + g.h),
            ]),
        );
        dict.set("Resources", resources);
        // A transparency group, so the page's own transparency composes as one piece.
        let mut group = Dictionary::new();
        group.set("S", Object::Name(b"Transparency".to_vec()));
        dict.set("Group", Object::Dictionary(group));
        forms.push((Stream::new(dict, content), g));
    }
    let sheet_set: std::collections::HashSet<ObjectId> = sheets.iter().copied().collect();
    for (id, obj) in std::mem::take(&mut typeset.objects) {
        if sheet_set.contains(&id) {
            continue;
        }
        // Page-tree nodes and the catalog of the typeset document are not wanted.
        if let Object::Dictionary(d) = &obj
            && matches!(d.get_type().ok(), Some(b"Pages") | Some(b"Catalog"))
        {
            continue;
        }
        doc.objects.insert(id, obj);
    }
    doc.max_id = doc.max_id.max(typeset.max_id);
    let mut ids = Vec::with_capacity(forms.len());
    for (form, g) in forms {
        ids.push((doc.add_object(Object::Stream(form)), g));
    }
    Ok(ids)
}

/// Lay the pages of `overlay` (one per target, in order) over (or `under`) `targets` of `doc`.
pub fn apply(
    doc: &mut Document,
    targets: &[(ObjectId, Geometry)],
    overlay: Document,
    under: bool,
) -> Result<(), PdfError> {
    let forms = import_pages(doc, overlay)?;
    if forms.len() != targets.len() {
        return Err(PdfError::internal(
            "",
            format!(
                "the overlay has {} pages for {} pages",
                forms.len(),
                targets.len()
            ),
        ));
    }
    for (&(page, geom), (form_id, _)) in targets.iter().zip(forms) {
        let name = format!("FfOverlay{}", form_id.0);
        set_xobject(doc, page, &name, form_id)?;
        let m = geom.matrix();
        let draw = format!(
            "q {} {} {} {} {} {} cm /{name} Do Q\n",
            m[0], m[1], m[2], m[3], m[4], m[5]
        );
        let mut contents: Vec<Object> = match doc
            .get_dictionary(page)
            .ok()
            .and_then(|d| d.get(b"Contents").ok())
        {
            Some(Object::Reference(r)) => match doc.get_object(*r) {
                Ok(Object::Array(a)) => a.clone(),
                _ => vec![Object::Reference(*r)],
            },
            Some(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let draw = doc.add_object(Stream::new(Dictionary::new(), draw.into_bytes()));
        if under {
            contents.insert(0, Object::Reference(draw));
        } else {
            // The page's own drawing is wrapped in q … Q so a state it leaves set (a matrix,
            // a clip) does not move the overlay.
            let open = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
            let close = doc.add_object(Stream::new(Dictionary::new(), b"\nQ\n".to_vec()));
            contents.insert(0, Object::Reference(open));
            contents.push(Object::Reference(close));
            contents.push(Object::Reference(draw));
        }
        if let Ok(d) = doc.get_dictionary_mut(page) {
            d.set("Contents", Object::Array(contents));
        }
    }
    Ok(())
}

/// Give `page` its own resources (a copy of what it had or inherited) with the form `name`.
fn set_xobject(
    doc: &mut Document,
    page: ObjectId,
    name: &str,
    form: ObjectId,
) -> Result<(), PdfError> {
    let resolve = |doc: &Document, o: Option<Object>| -> Dictionary {
        match o {
            Some(Object::Reference(r)) => doc
                .get_dictionary(r)
                .cloned()
                .unwrap_or_else(|_| Dictionary::new()),
            Some(Object::Dictionary(d)) => d,
            _ => Dictionary::new(),
        }
    };
    let mut res = resolve(doc, document::inherited(doc, page, b"Resources"));
    let mut xo = resolve(doc, res.get(b"XObject").ok().cloned());
    xo.set(name, Object::Reference(form));
    res.set("XObject", Object::Dictionary(xo));
    let d = doc
        .get_dictionary_mut(page)
        .map_err(|_| PdfError::internal("", "a page vanished"))?;
    d.set("Resources", Object::Dictionary(res));
    Ok(())
}

/// Replace `{n}`/`{page}`, `{total}`/`{pages}` and `{date}` in `format`.
pub fn fill(format: &str, n: i64, total: i64, date: &str) -> String {
    format
        .replace("{n}", &n.to_string())
        .replace("{page}", &n.to_string())
        .replace("{total}", &total.to_string())
        .replace("{pages}", &total.to_string())
        .replace("{date}", date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_map_the_shown_corner_to_the_page() {
        let g = |rotate| Geometry {
            x0: 10.0,
            y0: 20.0,
            w: 100.0,
            h: 200.0,
            rotate,
        };
        // Shown lower-left (0, 0) lands on the page's corner that is shown at the lower left.
        let at =
            |m: [f32; 6], u: f32, v: f32| (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5]);
        assert_eq!(at(g(0).matrix(), 0.0, 0.0), (10.0, 20.0));
        assert_eq!(at(g(90).matrix(), 0.0, 0.0), (110.0, 20.0));
        assert_eq!(at(g(180).matrix(), 0.0, 0.0), (110.0, 220.0));
        assert_eq!(at(g(270).matrix(), 0.0, 0.0), (10.0, 220.0));
        // The shown size swaps for quarter turns, and the shown far corner is the opposite one.
        assert_eq!(g(90).shown(), (200.0, 100.0));
        assert_eq!(at(g(90).matrix(), 200.0, 100.0), (10.0, 220.0));
    }

    #[test]
    fn placeholders() {
        assert_eq!(fill("Page {n} of {total}", 3, 9, ""), "Page 3 of 9");
        assert_eq!(fill("{page}/{pages}", 1, 2, ""), "1/2");
        assert_eq!(fill("{date}", 1, 2, "2026-12-05"), "2026-12-05");
    }
}
