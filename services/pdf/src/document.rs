//! Reading and writing whole documents, safely: a file must start like a PDF, parsing runs
//! with lopdf's bounds (each stream may decompress to at most `max_stream` bytes) and a panic
//! inside the parser is a damaged file, not a crash; the page tree is walked with a visited
//! set (a tree that loops back on itself ends at the loop) and at most `max_pages` pages, so
//! neither `/Count 2000000000` nor a cycle costs more than the pages really there.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use crate::error::PdfError;

/// What bounds one document.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most pages (PDF_MAX_PAGES).
    pub max_pages: usize,
    /// Most bytes one stream may decompress to (PDF_MAX_STREAM_MB).
    pub max_stream: usize,
}

/// Page attributes a page inherits from its ancestors in the page tree (ISO 32000-1, 7.7.3.4).
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// The first bytes of a file, for a message about what it is instead.
fn head_of(bytes: &[u8]) -> String {
    let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    if head.is_empty() {
        "it is empty".into()
    } else {
        format!("it starts with {}", head.join(" "))
    }
}

/// Open `bytes`, the file that came in `field`, with its password if it has one.
pub fn open(
    bytes: &[u8],
    password: Option<&str>,
    field: &str,
    lim: &Limits,
) -> Result<Document, PdfError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::unsupported(
            field,
            format!("is not a PDF ({}); send a PDF file", head_of(bytes)),
        ));
    }
    let opts = LoadOptions {
        password: password.map(str::to_string),
        max_decompressed_size: Some(lim.max_stream),
        ..LoadOptions::default()
    };
    let loaded = std::panic::catch_unwind(|| Document::load_mem_with_options(bytes, opts));
    let doc = match loaded {
        Err(_) => return Err(damaged(field)),
        Ok(Err(e)) => return Err(load_error(e, field, password.is_some(), lim)),
        Ok(Ok(d)) => d,
    };
    if doc.is_encrypted() && !doc.was_encrypted() {
        return Err(password_error(field, password.is_some()));
    }
    let pages = page_ids(&doc, lim.max_pages, field)?;
    if pages.is_empty() {
        return Err(PdfError::invalid(
            field,
            "has no pages (its page tree is missing or empty); send a complete PDF",
        ));
    }
    Ok(doc)
}

fn damaged(field: &str) -> PdfError {
    PdfError::invalid(
        field,
        "is damaged and cannot be read (truncated or not a well-formed PDF); send the complete file",
    )
}

fn password_error(field: &str, given: bool) -> PdfError {
    if given {
        PdfError::invalid(
            "password",
            "is not this PDF's password; send the user or owner password",
        )
    } else {
        PdfError::invalid(
            "password",
            format!(
                "is required: the PDF in `{field}` is encrypted; send its user or owner password"
            ),
        )
    }
}

fn load_error(e: lopdf::Error, field: &str, given: bool, lim: &Limits) -> PdfError {
    use lopdf::Error as E;
    match e {
        E::InvalidPassword | E::Decryption(_) => password_error(field, given),
        E::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => PdfError::too_large(
            field,
            format!(
                "has a stream that decompresses to more than {} MiB (PDF_MAX_STREAM_MB); a file that inflates this much is refused",
                lim.max_stream >> 20
            ),
        ),
        E::UnsupportedSecurityHandler(h) => PdfError::invalid(
            field,
            format!(
                "is encrypted with a security handler this service does not read ({}); send it decrypted",
                String::from_utf8_lossy(&h)
            ),
        ),
        _ => damaged(field),
    }
}

/// The kind of a page-tree node: `/Type`, or by its shape when a writer left it out.
fn node_type(d: &Dictionary) -> &[u8] {
    match d.get_type() {
        Ok(t) => t,
        Err(_) if d.has(b"Kids") => b"Pages",
        Err(_) => b"Page",
    }
}

/// Every page in order. A node reached a second time (a loop, or a page listed twice) is
/// skipped; more than `max_pages` pages is refused before any more are walked.
pub fn page_ids(doc: &Document, max_pages: usize, field: &str) -> Result<Vec<ObjectId>, PdfError> {
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference);
    let Ok(root) = root else {
        return Ok(Vec::new());
    };
    let mut pages = Vec::new();
    let mut seen = HashSet::new();
    // Depth-first, left to right: a stack of kid lists still to walk.
    let mut stack: Vec<std::vec::IntoIter<ObjectId>> = vec![vec![root].into_iter()];
    while let Some(top) = stack.last_mut() {
        let Some(id) = top.next() else {
            stack.pop();
            continue;
        };
        if !seen.insert(id) {
            continue;
        }
        let Ok(node) = doc.get_dictionary(id) else {
            continue;
        };
        match node_type(node) {
            b"Pages" if stack.len() < 256 => {
                let kids: Vec<ObjectId> = node
                    .get_deref(b"Kids", doc)
                    .and_then(Object::as_array)
                    .map(|k| k.iter().filter_map(|o| o.as_reference().ok()).collect())
                    .unwrap_or_default();
                stack.push(kids.into_iter());
            }
            b"Page" => {
                if pages.len() == max_pages {
                    return Err(PdfError::too_large(
                        field,
                        format!(
                            "has more than {max_pages} pages (PDF_MAX_PAGES); split it first or raise the limit"
                        ),
                    ));
                }
                pages.push(id);
            }
            _ => {}
        }
    }
    Ok(pages)
}

/// The attribute `key` of a page, looked up through its ancestors where the page itself does
/// not set it.
pub fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut seen = HashSet::new();
    let mut id = page;
    while seen.insert(id) {
        let d = doc.get_dictionary(id).ok()?;
        if let Ok(v) = d.get(key) {
            return Some(v.clone());
        }
        id = d.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// Make `pages` (in order; an id may repeat) the document's pages, under one new page-tree
/// node: each page gets the attributes it inherited, a repeated page becomes a copy, and pages
/// left out are dropped with everything only they used. Returns the pages' ids as placed.
pub fn set_pages(doc: &mut Document, pages: &[ObjectId]) -> Result<Vec<ObjectId>, PdfError> {
    let mut placed = Vec::with_capacity(pages.len());
    let mut used = HashSet::new();
    let mut resolved = Vec::with_capacity(pages.len());
    for &p in pages {
        let mut dict = doc
            .get_dictionary(p)
            .map_err(|_| PdfError::internal("pages", "a page vanished while pages were set"))?
            .clone();
        for key in INHERITED {
            if !dict.has(key)
                && let Some(v) = inherited(doc, p, key)
            {
                dict.set(key, v);
            }
        }
        resolved.push((p, dict));
    }
    let root = doc.new_object_id();
    for (p, mut dict) in resolved {
        dict.set("Parent", Object::Reference(root));
        dict.set("Type", Object::Name(b"Page".to_vec()));
        let id = if used.insert(p) {
            doc.objects.insert(p, Object::Dictionary(dict));
            p
        } else {
            // A page placed twice: a copy with its own Parent (annotations are shared objects
            // and would name one page, so the copy goes without them).
            dict.remove(b"Annots");
            doc.add_object(Object::Dictionary(dict))
        };
        placed.push(id);
    }
    let kids: Vec<Object> = placed.iter().map(|&id| Object::Reference(id)).collect();
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Count", Object::Integer(kids.len() as i64));
    tree.set("Kids", Object::Array(kids));
    doc.objects.insert(root, Object::Dictionary(tree));
    let catalog = doc
        .catalog_mut()
        .map_err(|_| PdfError::internal("pages", "the document has no catalog"))?;
    catalog.set("Pages", Object::Reference(root));
    crate::outline::keep_pages(doc, &placed.iter().copied().collect());
    doc.prune_objects();
    Ok(placed)
}

/// The document as bytes: unused objects dropped, streams compressed, objects renumbered.
pub fn save(doc: &mut Document) -> Result<Vec<u8>, PdfError> {
    tidy(doc);
    write(doc)
}

/// Unused objects dropped, streams compressed, objects renumbered: what every answer gets.
pub fn tidy(doc: &mut Document) {
    doc.prune_objects();
    doc.renumber_objects();
    doc.compress();
}

/// The document as bytes, as it is (with a file identifier, which readers expect of an
/// encrypted file and which identifies any file).
pub fn write(doc: &mut Document) -> Result<Vec<u8>, PdfError> {
    if !doc.trailer.has(b"ID") {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id)
            .map_err(|e| PdfError::internal("body", format!("no random identifier: {e}")))?;
        let id = Object::String(id.to_vec(), lopdf::StringFormat::Hexadecimal);
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PdfError::internal("body", format!("the PDF could not be written: {e}")))?;
    Ok(out)
}

/// A PDF made of object bodies as they are (object n is `objects[n - 1]`, object 1 the catalog),
/// with a correct cross-reference table: how tests and benchmarks write files no library
/// would (loops, lies, bombs) and plain ones without building a document.
pub fn from_objects(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
