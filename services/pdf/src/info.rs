//! What a PDF holds: its pages (size in points, rotation, whether each has a text layer, which
//! the OCR service uses to OCR only the pages without one), version, encryption, metadata,
//! bookmarks, form fields and attached files.

use lopdf::{Document, Object};
use serde::Serialize;
use utoipa::ToSchema;

use crate::document::{self, Limits};
use crate::error::PdfError;

/// One page.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// From 1.
    pub number: usize,
    /// Width in points (1/72 inch) as shown, after rotation.
    pub width: f64,
    /// Height in points as shown.
    pub height: f64,
    /// Clockwise rotation: 0, 90, 180 or 270.
    pub rotation: i64,
    /// Whether the page draws text (a text layer); a scanned page without one needs OCR.
    pub has_text: bool,
}

/// How a file was encrypted.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Encryption {
    /// `RC4`, `AES-128` or `AES-256`.
    pub algorithm: String,
    /// The security handler's revision (6 for PDF 2.0's AES-256).
    pub revision: i64,
    /// What a user may do without the owner password: print, printHighQuality, modify, copy,
    /// annotate, fillForms, accessibility, assemble.
    pub permissions: Vec<String>,
}

/// The whole answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    /// How many pages.
    pub page_count: usize,
    /// The PDF version (`1.7`).
    pub version: String,
    /// Whether the file was encrypted (it opened with the password given, or an empty one).
    pub encrypted: bool,
    /// How it was encrypted, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    /// The document information (title, author, …, dates in ISO 8601, `custom`).
    #[schema(value_type = Object)]
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// How many bookmarks, at every level.
    pub bookmarks: usize,
    /// The form fields.
    pub form_fields: Vec<crate::forms::FieldInfo>,
    /// The names of attached files.
    pub attachments: Vec<String>,
    /// Every page.
    pub pages: Vec<PageInfo>,
}

/// Bytes of a page's content read to tell whether it draws text.
const TEXT_SCAN_LIMIT: usize = 16 << 20;

/// Describe `doc`.
pub fn describe(doc: &Document, lim: &Limits) -> Result<Info, PdfError> {
    let ids = document::page_ids(doc, lim.max_pages, "file")?;
    let pages = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let rotation = document::inherited(doc, id, b"Rotate")
                .and_then(|o| o.as_i64().ok())
                .unwrap_or(0)
                .rem_euclid(360);
            let (w, h) = page_size(doc, id);
            let (width, height) = if rotation % 180 == 90 { (h, w) } else { (w, h) };
            PageInfo {
                number: i + 1,
                width,
                height,
                rotation,
                has_text: has_text(doc, id),
            }
        })
        .collect();
    fn count(n: &[crate::outline::Node]) -> usize {
        n.iter().map(|x| 1 + count(&x.children)).sum()
    }
    Ok(Info {
        page_count: ids.len(),
        version: doc.version.clone(),
        encrypted: doc.was_encrypted(),
        encryption: doc.encryption_state.as_ref().map(|e| Encryption {
            algorithm: match e.get_stream_filter().method() {
                b"AESV3" => "AES-256",
                b"AESV2" => "AES-128",
                b"Identity" => "none (strings only)",
                _ => "RC4",
            }
            .to_string(),
            revision: e.revision(),
            permissions: crate::secure::permission_names(e.permissions())
                .into_iter()
                .map(str::to_string)
                .collect(),
        }),
        metadata: crate::meta::get(doc),
        bookmarks: count(&crate::outline::read(doc)),
        form_fields: crate::forms::list(doc),
        attachments: crate::attachments::list(doc)
            .into_iter()
            .map(|a| a.name)
            .collect(),
        pages,
    })
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// A page's size in points from its CropBox (else MediaBox; else US Letter).
fn page_size(doc: &Document, id: lopdf::ObjectId) -> (f64, f64) {
    let rect = |key: &[u8]| {
        let b = document::inherited(doc, id, key)?;
        let b = match b {
            Object::Reference(r) => doc.get_object(r).ok()?.clone(),
            b => b,
        };
        let a = b.as_array().ok()?;
        let v: Vec<f64> = a.iter().filter_map(number).collect();
        (v.len() == 4).then(|| ((v[2] - v[0]).abs(), (v[3] - v[1]).abs()))
    };
    rect(b"CropBox")
        .or_else(|| rect(b"MediaBox"))
        .unwrap_or((612.0, 792.0))
}

/// Whether the page's content shows text (`Tj`, `TJ`, `'` or `"` inside `BT … ET`), or a form
/// XObject it draws directly does.
fn has_text(doc: &Document, id: lopdf::ObjectId) -> bool {
    let Ok(content) = doc.get_page_content_with_limit(id, TEXT_SCAN_LIMIT) else {
        return false;
    };
    if shows_text(&content) {
        return true;
    }
    // Text inside form XObjects the page uses (one level: scanned pages are images).
    let Ok((res, _)) = doc.get_page_resources(id) else {
        return false;
    };
    let Some(xobjects) = res.and_then(|r| r.get_deref(b"XObject", doc).ok()?.as_dict().ok()) else {
        return false;
    };
    xobjects.iter().any(|(_, x)| {
        let Ok(r) = x.as_reference() else {
            return false;
        };
        let Ok(Object::Stream(s)) = doc.get_object(r) else {
            return false;
        };
        let is_form = s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
        is_form
            && s.decompressed_content()
                .ok()
                .filter(|c| c.len() <= TEXT_SCAN_LIMIT)
                .is_some_and(|c| shows_text(&c))
    })
}

/// A cheap scan of content-stream tokens for a text-showing operator after `BT`.
fn shows_text(content: &[u8]) -> bool {
    let mut in_text = false;
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        // Skip strings, so their bytes are not read as operators.
        if c == b'(' {
            let mut depth = 1;
            i += 1;
            while i < content.len() && depth > 0 {
                match content[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'\'' || c == b'"' {
            let start = i;
            while i < content.len()
                && (content[i].is_ascii_alphanumeric() || b"'\"*".contains(&content[i]))
            {
                i += 1;
            }
            let prev_ok = start == 0 || !content[start - 1].is_ascii_alphanumeric();
            match &content[start..i] {
                b"BT" if prev_ok => in_text = true,
                b"ET" if prev_ok => in_text = false,
                b"Tj" | b"TJ" | b"'" | b"\"" if in_text && prev_ok => return true,
                _ => {}
            }
            continue;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::shows_text;

    #[test]
    fn text_operators_inside_text_objects() {
        assert!(shows_text(b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET"));
        assert!(shows_text(b"q BT [(A) 120 (B)] TJ ET Q"));
        assert!(!shows_text(b"q 100 0 0 100 0 0 cm /Im0 Do Q"));
        assert!(!shows_text(b"BT ET (Tj) Tj"));
        assert!(!shows_text(b"BT (a Tj inside a string) ET"));
    }
}
