//! Interactive forms (AcroForm): fields listed by their qualified names, filled (text, choice,
//! checkbox and radio) with appearance streams written for every widget, so a value shows in
//! every viewer and survives flattening (a field without an appearance vanishes when
//! flattened), and flattened (each widget's appearance drawn into its page's content, the form
//! removed). Text appearances use the form's own font resource, else Helvetica, with
//! WinAnsi encoding, for Latin text; text in other scripts is drawn from Typst's rendering of
//! it (`Glyphs`), with its fonts embedded.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::PdfError;
use crate::outline::{read_text, text_string};

/// A form field, as `forms` and `info` list it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    /// Its fully qualified name (`address.city`).
    pub name: String,
    /// `text`, `checkbox`, `radio`, `choice`, `signature` or `button`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its value, where it has one.
    pub value: Option<String>,
    /// checkbox and radio: the values that turn it on; choice: the options.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A terminal field with the objects that hold it.
struct Field {
    info: FieldInfo,
    id: ObjectId,
    widgets: Vec<ObjectId>,
}

fn acroform(doc: &Document) -> Option<&Dictionary> {
    doc.catalog()
        .and_then(|c| c.get_deref(b"AcroForm", doc))
        .and_then(Object::as_dict)
        .ok()
}

fn fields(doc: &Document) -> Vec<Field> {
    let Some(form) = acroform(doc) else {
        return Vec::new();
    };
    let Ok(top) = form.get_deref(b"Fields", doc).and_then(Object::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for f in top {
        walk(doc, f, "", None, &mut seen, &mut out, 0);
    }
    out
}

/// Every field.
pub fn list(doc: &Document) -> Vec<FieldInfo> {
    fields(doc).into_iter().map(|f| f.info).collect()
}

fn walk(
    doc: &Document,
    f: &Object,
    prefix: &str,
    inherited_type: Option<&[u8]>,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<Field>,
    depth: usize,
) {
    let Ok(id) = f.as_reference() else { return };
    if depth > 32 || !seen.insert(id) || out.len() >= 10_000 {
        return;
    }
    let Ok(d) = doc.get_dictionary(id) else {
        return;
    };
    let partial = d
        .get(b"T")
        .and_then(Object::as_str)
        .map(read_text)
        .unwrap_or_default();
    let name = match (prefix.is_empty(), partial.is_empty()) {
        (true, _) => partial.clone(),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}.{partial}"),
    };
    let ft = d
        .get(b"FT")
        .and_then(Object::as_name)
        .ok()
        .or(inherited_type);
    let kids: Vec<ObjectId> = d
        .get_deref(b"Kids", doc)
        .and_then(Object::as_array)
        .map(|k| k.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default();
    // Kids with names are fields; kids without are the field's widgets.
    let (named, widgets): (Vec<ObjectId>, Vec<ObjectId>) = kids
        .into_iter()
        .partition(|k| doc.get_dictionary(*k).is_ok_and(|kd| kd.has(b"T")));
    if !named.is_empty() {
        for k in named {
            walk(doc, &Object::Reference(k), &name, ft, seen, out, depth + 1);
        }
        return;
    }
    let widgets = if widgets.is_empty() {
        vec![id]
    } else {
        widgets
    };
    let kind = kind_of(ft, d);
    let options = match kind {
        "checkbox" | "radio" => {
            let mut on: Vec<String> = widgets
                .iter()
                .filter_map(|w| on_state(doc, *w))
                .map(|n| String::from_utf8_lossy(&n).into_owned())
                .collect();
            on.dedup();
            on
        }
        "choice" => d
            .get_deref(b"Opt", doc)
            .and_then(Object::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|o| match o {
                        Object::String(s, _) => Some(read_text(s)),
                        Object::Array(p) => p.get(1).and_then(|x| x.as_str().ok()).map(read_text),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    out.push(Field {
        info: FieldInfo {
            kind: kind.to_string(),
            value: d.get(b"V").ok().and_then(|v| match v {
                Object::String(s, _) => Some(read_text(s)),
                Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
                _ => None,
            }),
            name,
            options,
        },
        id,
        widgets,
    });
}

fn kind_of(ft: Option<&[u8]>, d: &Dictionary) -> &'static str {
    let flags = d.get(b"Ff").and_then(Object::as_i64).unwrap_or(0);
    match ft {
        Some(b"Tx") => "text",
        Some(b"Ch") => "choice",
        Some(b"Sig") => "signature",
        Some(b"Btn") if flags & (1 << 16) != 0 => "button",
        Some(b"Btn") if flags & (1 << 15) != 0 => "radio",
        Some(b"Btn") => "checkbox",
        _ => "unknown",
    }
}

/// The name of a checkbox or radio widget's "on" appearance (anything but `Off`).
fn on_state(doc: &Document, widget: ObjectId) -> Option<Vec<u8>> {
    let w = doc.get_dictionary(widget).ok()?;
    let ap = w.get_deref(b"AP", doc).and_then(Object::as_dict).ok()?;
    let n = ap.get_deref(b"N", doc).and_then(Object::as_dict).ok()?;
    n.iter().map(|(k, _)| k.clone()).find(|k| k != b"Off")
}

/// A field's value as the request gives it.
#[derive(Debug, Clone)]
pub enum Value {
    /// Text (text and choice fields; the on-value of a radio group; `Yes`/`Off` for a checkbox).
    Text(String),
    /// A checkbox on or off.
    Flag(bool),
}

/// Fill the fields named in `values` (qualified names), writing appearances; errors name
/// `<field>.<name>` (`values.city`, `items[3].city`).
/// Texts outside what the form's font can show (anything beyond Latin-1), typeset elsewhere
/// (by Typst) and imported into the document as forms: each text's form, width and height, drawn
/// at 10 points.
pub type Glyphs = std::collections::HashMap<String, (ObjectId, f32, f32)>;

/// The size [`Glyphs`] are typeset at.
pub const GLYPH_SIZE: f32 = 10.0;

/// Whether `text` needs a font beyond the form's Latin one.
pub fn needs_font(text: &str) -> bool {
    text.chars().any(|c| c as u32 >= 256)
}

/// Set the fields' values (`field` names where they came from, for errors); text values that
/// need more than Latin-1 are drawn from `glyphs` where it has them.
pub fn fill(
    doc: &mut Document,
    values: &[(String, Value)],
    field: &str,
    glyphs: &Glyphs,
) -> Result<(), PdfError> {
    let all = fields(doc);
    if all.is_empty() && !values.is_empty() {
        return Err(PdfError::invalid(field, "the PDF has no form fields"));
    }
    let font = form_font(doc);
    for (name, value) in values {
        let at = format!("{field}.{name}");
        let Some(f) = all.iter().find(|f| &f.info.name == name) else {
            let names: Vec<&str> = all.iter().take(20).map(|f| f.info.name.as_str()).collect();
            return Err(PdfError::invalid(
                at,
                format!(
                    "is not a field of this form; its fields are {}",
                    names.join(", ")
                ),
            ));
        };
        match (f.info.kind.as_str(), value) {
            ("text" | "choice", v) => {
                let text = match v {
                    Value::Text(t) => t.clone(),
                    Value::Flag(b) => b.to_string(),
                };
                set(
                    doc,
                    f.id,
                    b"V",
                    Object::String(text_string(&text), StringFormat::Literal),
                );
                for &w in &f.widgets {
                    text_appearance(doc, w, f.id, &text, font, glyphs.get(&text))?;
                }
            }
            ("checkbox" | "radio", v) => {
                let wanted: Option<String> = match v {
                    Value::Flag(false) => None,
                    Value::Flag(true) => f.info.options.first().cloned(),
                    Value::Text(t) if t.eq_ignore_ascii_case("off") || t.is_empty() => None,
                    Value::Text(t) => {
                        let on = f.info.options.iter().find(|o| o == &t).cloned();
                        if on.is_none()
                            && !(f.info.kind == "checkbox"
                                && (t == "true" || t.eq_ignore_ascii_case("yes")))
                        {
                            return Err(PdfError::invalid(
                                at,
                                format!("must be one of {} (or Off)", f.info.options.join(", ")),
                            ));
                        }
                        on.or_else(|| f.info.options.first().cloned())
                    }
                };
                let state = wanted.clone().unwrap_or_else(|| "Off".into());
                set(doc, f.id, b"V", Object::Name(state.clone().into_bytes()));
                for &w in &f.widgets {
                    let mine = on_state(doc, w).map(|n| String::from_utf8_lossy(&n).into_owned());
                    let s = if wanted.is_some() && mine == wanted {
                        state.clone()
                    } else {
                        "Off".into()
                    };
                    set(doc, w, b"AS", Object::Name(s.into_bytes()));
                }
            }
            (kind, _) => {
                return Err(PdfError::invalid(
                    at,
                    format!("is a {kind} field, which cannot be filled"),
                ));
            }
        }
    }
    if let Some(form_id) = acroform_id(doc)
        && let Ok(d) = doc.get_dictionary_mut(form_id)
    {
        d.remove(b"NeedAppearances");
    }
    Ok(())
}

fn acroform_id(doc: &Document) -> Option<ObjectId> {
    doc.catalog()
        .ok()?
        .get(b"AcroForm")
        .and_then(Object::as_reference)
        .ok()
}

fn set(doc: &mut Document, id: ObjectId, key: &[u8], v: Object) {
    if let Ok(d) = doc.get_dictionary_mut(id) {
        d.set(key.to_vec(), v);
    }
}

/// The font text appearances use: the form's `/DR` Helv or first font, else a new Helvetica.
fn form_font(doc: &mut Document) -> ObjectId {
    let existing = acroform(doc)
        .and_then(|f| f.get_deref(b"DR", doc).and_then(Object::as_dict).ok())
        .and_then(|dr| dr.get_deref(b"Font", doc).and_then(Object::as_dict).ok())
        .and_then(|fonts| {
            fonts
                .get(b"Helv")
                .ok()
                .or_else(|| fonts.iter().next().map(|(_, v)| v))
                .and_then(|o| o.as_reference().ok())
        });
    existing.unwrap_or_else(|| {
        doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type1".to_vec())),
            ("BaseFont", Object::Name(b"Helvetica".to_vec())),
            ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
        ]))
    })
}

fn numbers(o: &Object) -> Vec<f64> {
    o.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| match x {
                    Object::Integer(i) => Some(*i as f64),
                    Object::Real(r) => Some(f64::from(*r)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Text as WinAnsi bytes for a literal string: Latin-1 characters as they are, others `?`.
fn winansi(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        let b = if (c as u32) < 256 {
            c as u32 as u8
        } else {
            b'?'
        };
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        if b == b'\n' || b == b'\r' {
            out.push(b' ');
            continue;
        }
        out.push(b);
    }
    out
}

/// Write widget `w`'s normal appearance: `text` in the field's font size (its /DA; 0 or none is
/// sized to the box), left-aligned, vertically centred.
fn text_appearance(
    doc: &mut Document,
    w: ObjectId,
    field: ObjectId,
    text: &str,
    font: ObjectId,
    glyph: Option<&(ObjectId, f32, f32)>,
) -> Result<(), PdfError> {
    let (rect, da) = {
        let wd = doc
            .get_dictionary(w)
            .map_err(|_| PdfError::internal("values", "a widget vanished"))?;
        let rect = wd.get(b"Rect").map(numbers).unwrap_or_default();
        let da = wd
            .get(b"DA")
            .or_else(|_| doc.get_dictionary(field).and_then(|f| f.get(b"DA")))
            .and_then(Object::as_str)
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default();
        (rect, da)
    };
    if rect.len() != 4 {
        return Ok(());
    }
    let (width, height) = ((rect[2] - rect[0]).abs(), (rect[3] - rect[1]).abs());
    // The size from /DA (`/Helv 12 Tf 0 g`): the number before Tf.
    let tokens: Vec<&str> = da.split_whitespace().collect();
    let size = tokens
        .iter()
        .position(|t| *t == "Tf")
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| tokens[i].parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or_else(|| (height * 0.7).clamp(4.0, 12.0));
    let colour = tokens
        .iter()
        .position(|t| *t == "g" || *t == "rg")
        .map(|i| {
            let n = if tokens[i] == "g" { 1 } else { 3 };
            tokens[i.saturating_sub(n)..=i].join(" ")
        })
        .unwrap_or_else(|| "0 g".into());
    let baseline = ((height - size * 0.78) / 2.0).max(1.0);
    let (content, resources) = match glyph.filter(|_| needs_font(text)) {
        Some(&(g, _, gh)) => {
            // Typst's rendering of the text, scaled to the field's size and centred.
            let s = size / f64::from(GLYPH_SIZE);
            let y = ((height - f64::from(gh) * s) / 2.0).max(0.0);
            let content = format!(
                "/Tx BMC q 1 1 {:.2} {:.2} re W n q {s:.4} 0 0 {s:.4} 2 {y:.2} cm /G0 Do Q Q EMC",
                (width - 2.0).max(0.0),
                (height - 2.0).max(0.0)
            );
            (content.into_bytes(), ("XObject", "G0", g))
        }
        None => {
            let mut content = format!(
                "/Tx BMC q 1 1 {:.2} {:.2} re W n BT /FF0 {size:.2} Tf {colour} 2 {baseline:.2} Td (",
                (width - 2.0).max(0.0),
                (height - 2.0).max(0.0)
            )
            .into_bytes();
            content.extend_from_slice(&winansi(text));
            content.extend_from_slice(b") Tj ET Q EMC");
            (content, ("Font", "FF0", font))
        }
    };
    let (kind, name, id) = resources;
    let mut sd = Dictionary::new();
    sd.set("Type", Object::Name(b"XObject".to_vec()));
    sd.set("Subtype", Object::Name(b"Form".to_vec()));
    sd.set(
        "BBox",
        Object::Array(vec![
            0.into(),
            0.into(),
            Object::Real(width as f32),
            Object::Real(height as f32),
        ]),
    );
    sd.set(
        "Resources",
        Object::Dictionary(Dictionary::from_iter([(
            kind,
            Object::Dictionary(Dictionary::from_iter([(name, Object::Reference(id))])),
        )])),
    );
    let ap = doc.add_object(Stream::new(sd, content));
    set(
        doc,
        w,
        b"AP",
        Object::Dictionary(Dictionary::from_iter([("N", Object::Reference(ap))])),
    );
    Ok(())
}

/// Draw every widget's appearance into its page and remove the form, so the values are part
/// of the page (and nobody can change them in a viewer).
pub fn flatten(doc: &mut Document, pages: &[ObjectId]) -> Result<usize, PdfError> {
    let widgets: HashSet<ObjectId> = fields(doc).iter().flat_map(|f| f.widgets.clone()).collect();
    let mut drawn = 0;
    for &page in pages {
        let annots: Vec<Object> = doc
            .get_dictionary(page)
            .ok()
            .and_then(|p| p.get_deref(b"Annots", doc).ok())
            .and_then(|a| a.as_array().ok())
            .cloned()
            .unwrap_or_default();
        if annots.is_empty() {
            continue;
        }
        let mut keep = Vec::new();
        let mut ops = Vec::new();
        let mut xobjects = Dictionary::new();
        for a in annots {
            let Ok(id) = a.as_reference() else {
                keep.push(a);
                continue;
            };
            if !widgets.contains(&id) {
                keep.push(a);
                continue;
            }
            if let Some((stream, rect)) = appearance_of(doc, id) {
                let name = format!("FFlat{drawn}");
                if let Some(op) = placement(doc, stream, &rect) {
                    ops.push(format!("q {op} cm /{name} Do Q"));
                    xobjects.set(name.into_bytes(), Object::Reference(stream));
                    drawn += 1;
                }
            }
        }
        if !ops.is_empty() {
            // Resources of its own, so inherited or shared ones are not changed for others.
            let mut res = crate::document::inherited(doc, page, b"Resources")
                .and_then(|r| match r {
                    Object::Reference(id) => doc.get_dictionary(id).ok().cloned(),
                    Object::Dictionary(d) => Some(d),
                    _ => None,
                })
                .unwrap_or_default();
            let mut xo = res
                .get_deref(b"XObject", doc)
                .and_then(Object::as_dict)
                .cloned()
                .unwrap_or_default();
            for (k, v) in xobjects.iter() {
                xo.set(k.clone(), v.clone());
            }
            res.set("XObject", Object::Dictionary(xo));
            let body = format!("q\n{}\nQ\n", ops.join("\n"));
            // The page's own content is wrapped in q … Q so its state cannot leak into ours.
            let before = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
            let after = doc.add_object(Stream::new(
                Dictionary::new(),
                format!("Q\n{body}").into_bytes(),
            ));
            let contents: Vec<Object> = match doc
                .get_dictionary(page)
                .ok()
                .and_then(|p| p.get(b"Contents").ok())
            {
                Some(Object::Array(a)) => a.clone(),
                Some(Object::Reference(r)) => match doc.get_object(*r) {
                    Ok(Object::Array(a)) => a.clone(),
                    _ => vec![Object::Reference(*r)],
                },
                _ => Vec::new(),
            };
            let mut all = vec![Object::Reference(before)];
            all.extend(contents);
            all.push(Object::Reference(after));
            if let Ok(p) = doc.get_dictionary_mut(page) {
                p.set("Contents", Object::Array(all));
                p.set("Resources", Object::Dictionary(res));
            }
        }
        if let Ok(p) = doc.get_dictionary_mut(page) {
            if keep.is_empty() {
                p.remove(b"Annots");
            } else {
                p.set("Annots", Object::Array(keep));
            }
        }
    }
    if let Ok(c) = doc.catalog_mut() {
        c.remove(b"AcroForm");
    }
    Ok(drawn)
}

/// A widget's normal appearance stream (for its current state) and its rectangle.
fn appearance_of(doc: &Document, widget: ObjectId) -> Option<(ObjectId, Vec<f64>)> {
    let w = doc.get_dictionary(widget).ok()?;
    if w.get(b"F")
        .and_then(Object::as_i64)
        .is_ok_and(|f| f & 2 != 0)
    {
        return None; // hidden
    }
    let rect = w.get(b"Rect").map(numbers).ok()?;
    let ap = w.get_deref(b"AP", doc).and_then(Object::as_dict).ok()?;
    let n = ap.get(b"N").ok()?;
    let id = match n {
        Object::Reference(r) => match doc.get_object(*r).ok()? {
            Object::Stream(_) => *r,
            Object::Dictionary(states) => {
                let state = w.get(b"AS").and_then(Object::as_name).ok()?;
                states.get(state).and_then(Object::as_reference).ok()?
            }
            _ => return None,
        },
        Object::Dictionary(states) => {
            let state = w.get(b"AS").and_then(Object::as_name).ok()?;
            states.get(state).and_then(Object::as_reference).ok()?
        }
        _ => return None,
    };
    (rect.len() == 4).then_some((id, rect))
}

/// The `cm` operands that put an appearance's BBox onto the widget's Rect.
fn placement(doc: &mut Document, stream: ObjectId, rect: &[f64]) -> Option<String> {
    let s = doc.get_object_mut(stream).ok()?.as_stream_mut().ok()?;
    s.dict.set("Type", Object::Name(b"XObject".to_vec()));
    s.dict.set("Subtype", Object::Name(b"Form".to_vec()));
    let bbox = s.dict.get(b"BBox").map(numbers).unwrap_or_default();
    let (bx, by, bw, bh) = if bbox.len() == 4 {
        (
            bbox[0].min(bbox[2]),
            bbox[1].min(bbox[3]),
            (bbox[2] - bbox[0]).abs(),
            (bbox[3] - bbox[1]).abs(),
        )
    } else {
        (0.0, 0.0, 0.0, 0.0)
    };
    let (rx, ry) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
    let (rw, rh) = ((rect[2] - rect[0]).abs(), (rect[3] - rect[1]).abs());
    let sx = if bw > 0.0 { rw / bw } else { 1.0 };
    let sy = if bh > 0.0 { rh / bh } else { 1.0 };
    Some(format!(
        "{sx:.4} 0 0 {sy:.4} {:.4} {:.4}",
        rx - bx * sx,
        ry - by * sy
    ))
}
