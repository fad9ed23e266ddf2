//! Bookmarks (the document outline): read as a tree with a visited set (an outline that links
//! back to itself ends at the loop), pruned to the pages a document keeps, joined when
//! documents are merged, and written back with every First/Last/Prev/Next/Parent/Count link
//! set again.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// One bookmark and the bookmarks under it.
#[derive(Debug, Clone)]
pub struct Node {
    /// The bookmark's dictionary.
    pub id: ObjectId,
    /// The bookmarks under it, in order.
    pub children: Vec<Node>,
}

/// At most this many bookmarks are read from one document.
const MAX_ITEMS: usize = 100_000;

/// The top-level bookmarks of `doc`, each with its children.
pub fn read(doc: &Document) -> Vec<Node> {
    let Some(root) = root_id(doc) else {
        return Vec::new();
    };
    let mut seen = HashSet::from([root]);
    children_of(doc, root, &mut seen, 0)
}

fn root_id(doc: &Document) -> Option<ObjectId> {
    doc.catalog()
        .ok()?
        .get(b"Outlines")
        .and_then(Object::as_reference)
        .ok()
}

fn children_of(
    doc: &Document,
    parent: ObjectId,
    seen: &mut HashSet<ObjectId>,
    depth: usize,
) -> Vec<Node> {
    let mut out = Vec::new();
    if depth > 64 {
        return out;
    }
    let Ok(p) = doc.get_dictionary(parent) else {
        return out;
    };
    let mut next = p.get(b"First").and_then(Object::as_reference).ok();
    while let Some(id) = next {
        if seen.len() >= MAX_ITEMS || !seen.insert(id) {
            break;
        }
        let Ok(item) = doc.get_dictionary(id) else {
            break;
        };
        next = item.get(b"Next").and_then(Object::as_reference).ok();
        let children = children_of(doc, id, seen, depth + 1);
        out.push(Node { id, children });
    }
    out
}

/// The page a bookmark opens, when it names one directly (`/Dest [page …]` or a GoTo action's
/// `/D [page …]`); named destinations are not resolved.
fn target(doc: &Document, item: &Dictionary) -> Option<ObjectId> {
    let dest = match item.get(b"Dest") {
        Ok(d) => d.clone(),
        Err(_) => {
            let action = item.get_deref(b"A", doc).and_then(Object::as_dict).ok()?;
            action.get(b"D").ok()?.clone()
        }
    };
    let dest = match dest {
        Object::Reference(r) => doc.get_object(r).ok()?.clone(),
        d => d,
    };
    dest.as_array().ok()?.first()?.as_reference().ok()
}

/// The page the bookmark `id` opens, when it names one directly.
pub fn opens(doc: &Document, id: ObjectId) -> Option<ObjectId> {
    doc.get_dictionary(id).ok().and_then(|d| target(doc, d))
}

/// Keep only bookmarks that open a kept page (or open none, or a named destination), and
/// those with a kept bookmark under them (which then open nothing).
pub fn keep_pages(doc: &mut Document, kept: &HashSet<ObjectId>) {
    let Some(root) = root_id(doc) else {
        return;
    };
    fn prune(doc: &mut Document, nodes: Vec<Node>, kept: &HashSet<ObjectId>) -> Vec<Node> {
        let mut out = Vec::new();
        for mut n in nodes {
            n.children = prune(doc, std::mem::take(&mut n.children), kept);
            let opens = doc.get_dictionary(n.id).ok().and_then(|d| target(doc, d));
            let opens_kept = opens.is_none_or(|p| kept.contains(&p));
            if !opens_kept && let Ok(d) = doc.get_dictionary_mut(n.id) {
                d.remove(b"Dest");
                d.remove(b"A");
            }
            if opens_kept || !n.children.is_empty() {
                out.push(n);
            }
        }
        out
    }
    let top = read(doc);
    let top = prune(doc, top, kept);
    if top.is_empty() {
        if let Ok(c) = doc.catalog_mut() {
            c.remove(b"Outlines");
        }
    } else {
        link(doc, root, &top);
    }
}

/// Set every link of `parent`'s subtree: `nodes` are its children, in order.
pub fn link(doc: &mut Document, parent: ObjectId, nodes: &[Node]) {
    fn count(nodes: &[Node]) -> i64 {
        nodes.iter().map(|n| 1 + count(&n.children)).sum()
    }
    for (i, n) in nodes.iter().enumerate() {
        link(doc, n.id, &n.children);
        if let Ok(d) = doc.get_dictionary_mut(n.id) {
            d.set("Parent", Object::Reference(parent));
            match i.checked_sub(1).and_then(|j| nodes.get(j)) {
                Some(prev) => d.set("Prev", Object::Reference(prev.id)),
                None => {
                    d.remove(b"Prev");
                }
            }
            match nodes.get(i + 1) {
                Some(next) => d.set("Next", Object::Reference(next.id)),
                None => {
                    d.remove(b"Next");
                }
            }
        }
    }
    if let Ok(d) = doc.get_dictionary_mut(parent) {
        match (nodes.first(), nodes.last()) {
            (Some(f), Some(l)) => {
                d.set("First", Object::Reference(f.id));
                d.set("Last", Object::Reference(l.id));
                // Open items count their descendants; the root counts every open item.
                d.set("Count", Object::Integer(count(nodes)));
            }
            _ => {
                d.remove(b"First");
                d.remove(b"Last");
                d.remove(b"Count");
            }
        }
    }
}

/// A new bookmark titled `title` that opens `page` (fit to the window).
pub fn new_item(doc: &mut Document, title: &str, page: ObjectId) -> ObjectId {
    let mut d = Dictionary::new();
    d.set(
        "Title",
        Object::String(text_string(title), lopdf::StringFormat::Hexadecimal),
    );
    d.set(
        "Dest",
        Object::Array(vec![Object::Reference(page), Object::Name(b"Fit".to_vec())]),
    );
    doc.add_object(Object::Dictionary(d))
}

/// Make `nodes` the document's whole outline.
pub fn replace(doc: &mut Document, nodes: &[Node]) {
    if nodes.is_empty() {
        if let Ok(c) = doc.catalog_mut() {
            c.remove(b"Outlines");
        }
        return;
    }
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    let root = doc.add_object(Object::Dictionary(root));
    link(doc, root, nodes);
    if let Ok(c) = doc.catalog_mut() {
        c.set("Outlines", Object::Reference(root));
    }
}

/// A PDF text string: PDFDocEncoding where the text is ASCII, else UTF-16BE with a BOM.
pub fn text_string(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_be_bytes());
    }
    out
}

/// A PDF text string as Rust text (UTF-16BE with a BOM, UTF-8 with a BOM, or PDFDocEncoding,
/// read as Latin-1, which agrees with it on printable characters).
pub fn read_text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = b.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    b.iter().map(|&c| c as char).collect()
}
