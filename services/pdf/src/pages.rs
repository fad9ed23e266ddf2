//! Page operations: keep a selection in its order (extract, reorder, duplicate), delete a
//! selection, rotate a selection.

use std::collections::HashSet;

use lopdf::{Document, Object};

use crate::document::{self, Limits};
use crate::error::PdfError;
use crate::select;

/// What to do with the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Keep the selected pages, in the selection's order (repeats duplicate a page).
    Keep,
    /// Delete the selected pages.
    Delete,
    /// Rotate the selected pages clockwise by this many degrees (a multiple of 90).
    Rotate(i64),
}

/// Apply `action` to the pages `spec` selects; the field that carried the selection is
/// `field`. Returns how many pages the result has.
pub fn apply(
    doc: &mut Document,
    spec: &str,
    action: Action,
    lim: &Limits,
    field: &str,
) -> Result<usize, PdfError> {
    let pages = document::page_ids(doc, lim.max_pages, "file")?;
    let chosen = select::parse(spec, pages.len(), field)?;
    match action {
        Action::Keep => {
            let ids: Vec<_> = chosen.iter().map(|&n| pages[n - 1]).collect();
            document::set_pages(doc, &ids)?;
            Ok(ids.len())
        }
        Action::Delete => {
            let gone: HashSet<usize> = chosen.into_iter().collect();
            let ids: Vec<_> = (1..=pages.len())
                .filter(|n| !gone.contains(n))
                .map(|n| pages[n - 1])
                .collect();
            if ids.is_empty() {
                return Err(PdfError::invalid(
                    field,
                    "selects every page; a PDF needs at least one page left",
                ));
            }
            document::set_pages(doc, &ids)?;
            Ok(ids.len())
        }
        Action::Rotate(degrees) => {
            if degrees % 90 != 0 {
                return Err(PdfError::invalid(
                    "angle",
                    format!("must be a multiple of 90 (90, 180, 270, -90); got {degrees}"),
                ));
            }
            let targets: HashSet<_> = chosen.iter().map(|&n| pages[n - 1]).collect();
            // Flatten first, so each page holds its own /Rotate.
            document::set_pages(doc, &pages)?;
            for id in targets {
                let now = document::inherited(doc, id, b"Rotate")
                    .and_then(|o| o.as_i64().ok())
                    .unwrap_or(0);
                if let Ok(d) = doc.get_dictionary_mut(id) {
                    d.set("Rotate", Object::Integer((now + degrees).rem_euclid(360)));
                }
            }
            Ok(pages.len())
        }
    }
}
