//! Attached files (the catalog's `/Names /EmbeddedFiles` tree): listed with their sizes and types,
//! added (the tree rewritten as one sorted list), and extracted (decompressed within the
//! stream limit). The tree is walked with a visited set and a depth bound.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::PdfError;
use crate::outline::{read_text, text_string};

/// One attached file.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// Its name in the document.
    pub name: String,
    /// Its size in bytes, where the document records it.
    pub size: Option<i64>,
    /// Its media type, where the document records it.
    pub mime_type: Option<String>,
    /// Its description.
    pub description: Option<String>,
}

/// The name tree's entries: (name, file specification), in tree order.
fn entries(doc: &Document) -> Vec<(Vec<u8>, Object)> {
    let Ok(tree) = doc
        .catalog()
        .and_then(|c| c.get_deref(b"Names", doc))
        .and_then(Object::as_dict)
        .and_then(|n| n.get_deref(b"EmbeddedFiles", doc))
        .and_then(Object::as_dict)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    walk(doc, tree, &mut HashSet::new(), &mut out, 0);
    out
}

fn walk(
    doc: &Document,
    node: &Dictionary,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<(Vec<u8>, Object)>,
    depth: usize,
) {
    if depth > 32 || out.len() >= 10_000 {
        return;
    }
    if let Ok(names) = node.get_deref(b"Names", doc).and_then(Object::as_array) {
        for pair in names.chunks(2) {
            if let [key, value] = pair
                && let Ok(k) = key.as_str()
            {
                out.push((k.to_vec(), value.clone()));
            }
        }
    }
    if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
        for k in kids {
            if let Ok(r) = k.as_reference()
                && seen.insert(r)
                && let Ok(d) = doc.get_dictionary(r)
            {
                walk(doc, d, seen, out, depth + 1);
            }
        }
    }
}

fn filespec<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match o {
        Object::Reference(r) => doc.get_dictionary(*r).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

fn embedded<'a>(doc: &'a Document, spec: &'a Dictionary) -> Option<&'a Stream> {
    let ef = spec.get_deref(b"EF", doc).and_then(Object::as_dict).ok()?;
    let f = ef.get(b"UF").or_else(|_| ef.get(b"F")).ok()?;
    match f {
        Object::Reference(r) => doc.get_object(*r).ok()?.as_stream().ok(),
        _ => None,
    }
}

/// Every attached file.
pub fn list(doc: &Document) -> Vec<Attachment> {
    entries(doc)
        .into_iter()
        .map(|(name, spec)| {
            let spec = filespec(doc, &spec);
            let stream = spec.and_then(|s| embedded(doc, s));
            Attachment {
                name: read_text(&name),
                size: stream.and_then(|s| {
                    s.dict
                        .get_deref(b"Params", doc)
                        .and_then(Object::as_dict)
                        .and_then(|p| p.get(b"Size"))
                        .and_then(Object::as_i64)
                        .ok()
                }),
                mime_type: stream.and_then(|s| {
                    s.dict
                        .get(b"Subtype")
                        .and_then(Object::as_name)
                        .ok()
                        .map(|n| String::from_utf8_lossy(n).replace("#2F", "/"))
                }),
                description: spec
                    .and_then(|s| s.get(b"Desc").and_then(Object::as_str).ok())
                    .map(read_text),
            }
        })
        .collect()
}

/// The bytes of the attached file `name`, decompressed (at most `max` bytes).
pub fn extract(doc: &Document, name: &str, max: usize) -> Result<Vec<u8>, PdfError> {
    let all = entries(doc);
    let Some((_, spec)) = all.iter().find(|(n, _)| read_text(n) == name) else {
        let names: Vec<String> = all.iter().map(|(n, _)| read_text(n)).collect();
        return Err(PdfError::invalid(
            "name",
            if names.is_empty() {
                "the PDF has no attached files".to_string()
            } else {
                format!(
                    "no attached file is called {name:?}; the PDF has {}",
                    names.join(", ")
                )
            },
        ));
    };
    let stream = filespec(doc, spec)
        .and_then(|s| embedded(doc, s))
        .ok_or_else(|| PdfError::invalid("name", format!("{name:?} has no embedded bytes")))?;
    if stream.dict.get(b"Filter").is_err() {
        return Ok(stream.content.clone());
    }
    stream.decompressed_content_with_limit(max).map_err(|_| {
        PdfError::too_large(
            "name",
            format!(
                "{name:?} decompresses to more than {} MiB (PDF_MAX_STREAM_MB)",
                max >> 20
            ),
        )
    })
}

/// Attach `bytes` as `name` (replacing a file of that name).
pub fn add(
    doc: &mut Document,
    name: &str,
    bytes: Vec<u8>,
    mime_type: Option<&str>,
    description: Option<&str>,
) -> Result<(), PdfError> {
    if name.trim().is_empty() {
        return Err(PdfError::invalid(
            "name",
            "is empty; give the attached file's name",
        ));
    }
    let mut params = Dictionary::new();
    params.set("Size", Object::Integer(bytes.len() as i64));
    let mut sd = Dictionary::new();
    sd.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    sd.set("Params", Object::Dictionary(params));
    if let Some(m) = mime_type {
        sd.set("Subtype", Object::Name(m.as_bytes().to_vec()));
    }
    let mut stream = Stream::new(sd, bytes);
    let _ = stream.compress();
    let file = doc.add_object(stream);
    let mut spec = Dictionary::new();
    spec.set("Type", Object::Name(b"Filespec".to_vec()));
    spec.set(
        "F",
        Object::String(text_string(name), StringFormat::Literal),
    );
    spec.set(
        "UF",
        Object::String(text_string(name), StringFormat::Literal),
    );
    spec.set(
        "EF",
        Object::Dictionary(Dictionary::from_iter([
            ("F", Object::Reference(file)),
            ("UF", Object::Reference(file)),
        ])),
    );
    if let Some(d) = description {
        spec.set(
            "Desc",
            Object::String(text_string(d), StringFormat::Literal),
        );
    }
    let spec = doc.add_object(spec);
    let key = text_string(name);
    let mut all: Vec<(Vec<u8>, Object)> = entries(doc)
        .into_iter()
        .filter(|(n, _)| read_text(n) != name)
        .collect();
    all.push((key, Object::Reference(spec)));
    // A name tree's keys are sorted by their bytes.
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<Object> = all
        .into_iter()
        .flat_map(|(k, v)| [Object::String(k, StringFormat::Literal), v])
        .collect();
    let tree = doc.add_object(Dictionary::from_iter([("Names", Object::Array(names))]));
    let catalog_names = match doc.catalog().and_then(|c| c.get(b"Names")) {
        Ok(Object::Reference(r)) => Some(*r),
        _ => None,
    };
    let mut names_dict = match catalog_names {
        Some(r) => doc.get_dictionary(r).cloned().unwrap_or_default(),
        None => doc
            .catalog()
            .and_then(|c| c.get(b"Names"))
            .and_then(Object::as_dict)
            .cloned()
            .unwrap_or_default(),
    };
    names_dict.set("EmbeddedFiles", Object::Reference(tree));
    let names_id = doc.add_object(names_dict);
    let catalog = doc
        .catalog_mut()
        .map_err(|_| PdfError::internal("file", "the document has no catalog"))?;
    catalog.set("Names", Object::Reference(names_id));
    Ok(())
}
