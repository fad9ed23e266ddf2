//! Merging: every file's objects renumbered into one document, its pages in order under one
//! page tree, and its bookmarks kept (optionally under one bookmark per file, titled by its
//! file name, that opens its first page).

use lopdf::{Dictionary, Document, Object};

use crate::document::{self, Limits};
use crate::error::PdfError;
use crate::outline::{self, Node};

/// One document to merge, opened, with its title for a per-file bookmark.
pub struct Part {
    /// The document.
    pub doc: Document,
    /// Its bookmark's title (the file name without `.pdf`, or `Document N`).
    pub title: String,
}

/// The title a file's bookmark gets: its name without the extension, else `Document <n>`.
pub fn title_of(name: Option<&str>, n: usize) -> String {
    match name.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some(s) => s
            .strip_suffix(".pdf")
            .or_else(|| s.strip_suffix(".PDF"))
            .unwrap_or(s)
            .to_string(),
        None => format!("Document {n}"),
    }
}

/// One document with every part's pages in order.
pub fn merge(
    parts: Vec<Part>,
    per_file_bookmarks: bool,
    lim: &Limits,
) -> Result<Document, PdfError> {
    let mut out = Document::with_version("1.7");
    let mut next_id = 1;
    let mut pages = Vec::new();
    let mut bookmarks: Vec<Node> = Vec::new();
    let mut titled = Vec::new();
    for (i, mut p) in parts.into_iter().enumerate() {
        p.doc.renumber_objects_with(next_id);
        next_id = p.doc.max_id + 1;
        let field = format!("files[{i}]");
        let these = document::page_ids(&p.doc, lim.max_pages, &field)?;
        let nodes = outline::read(&p.doc);
        if let Some(&first) = these.first() {
            titled.push((p.title, first, nodes));
        }
        pages.extend(these);
        out.objects.append(&mut p.doc.objects);
        if let Some(v) = version_of(&p.doc)
            && v > out.version
        {
            out.version = v;
        }
    }
    out.max_id = next_id;
    for (title, first, nodes) in titled {
        if per_file_bookmarks {
            let id = outline::new_item(&mut out, &title, first);
            bookmarks.push(Node {
                id,
                children: nodes,
            });
        } else {
            bookmarks.extend(nodes);
        }
    }
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    let catalog = out.add_object(Object::Dictionary(catalog));
    out.trailer.set("Root", Object::Reference(catalog));
    outline::replace(&mut out, &bookmarks);
    document::set_pages(&mut out, &pages)?;
    if bookmarks.is_empty() {
        return Ok(out);
    }
    if let Ok(c) = out.catalog_mut() {
        c.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Ok(out)
}

fn version_of(doc: &Document) -> Option<String> {
    Some(doc.version.clone()).filter(|v| v.len() == 3)
}
