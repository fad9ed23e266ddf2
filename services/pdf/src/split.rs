//! Splitting one document into several: by ranges (`1-3,4-10`: one part each), every N pages,
//! or at each top-level bookmark. Each part keeps its pages' bookmarks.

use lopdf::{Document, ObjectId};

use crate::document::{self, Limits};
use crate::error::PdfError;
use crate::{outline, select};

/// How to cut.
#[derive(Debug, Clone)]
pub enum Cut {
    /// One part per comma-separated selection (`1-3,4-10,11-`).
    Ranges(String),
    /// A part every N pages.
    Every(usize),
    /// A part at each top-level bookmark's page (pages before the first go in a part of their own).
    Bookmarks,
}

/// Most parts one split may make.
pub const MAX_PARTS: usize = 10_000;

/// The document's pages (as `document::page_ids` lists them) and the parts' page numbers
/// (1-based), in order.
pub fn plan(
    doc: &Document,
    cut: &Cut,
    lim: &Limits,
) -> Result<(Vec<ObjectId>, Vec<Vec<usize>>), PdfError> {
    let pages = document::page_ids(doc, lim.max_pages, "file")?;
    let n = pages.len();
    let parts: Vec<Vec<usize>> = match cut {
        Cut::Ranges(spec) => spec
            .split(',')
            .map(|part| select::parse(part, n, "ranges"))
            .collect::<Result<_, _>>()?,
        Cut::Every(0) => {
            return Err(PdfError::invalid("every", "must be 1 or more pages"));
        }
        Cut::Every(k) => (1..=n)
            .collect::<Vec<_>>()
            .chunks(*k)
            .map(<[usize]>::to_vec)
            .collect(),
        Cut::Bookmarks => {
            let mut starts: Vec<usize> = outline::read(doc)
                .iter()
                .filter_map(|b| outline::opens(doc, b.id))
                .filter_map(|p| pages.iter().position(|&q| q == p).map(|i| i + 1))
                .collect();
            if starts.is_empty() {
                return Err(PdfError::invalid(
                    "by",
                    "bookmarks: the document has no bookmarks that open a page; split by ranges or every N pages",
                ));
            }
            starts.sort_unstable();
            starts.dedup();
            if starts[0] != 1 {
                starts.insert(0, 1);
            }
            starts
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    let end = starts.get(i + 1).map_or(n, |&e| e - 1);
                    (s..=end).collect()
                })
                .collect()
        }
    };
    if parts.len() > MAX_PARTS {
        return Err(PdfError::invalid(
            "ranges",
            format!("makes more than {MAX_PARTS} parts"),
        ));
    }
    Ok((pages, parts))
}

/// Each part as a PDF file; `pages` and `parts` as [`plan`] gives them.
pub fn split(
    doc: &Document,
    pages: &[ObjectId],
    parts: &[Vec<usize>],
) -> Result<Vec<Vec<u8>>, PdfError> {
    parts
        .iter()
        .map(|part| {
            let mut d = doc.clone();
            let ids: Vec<_> = part.iter().map(|&n| pages[n - 1]).collect();
            document::set_pages(&mut d, &ids)?;
            document::save(&mut d)
        })
        .collect()
}

/// The parts in one ZIP archive, `<stem>-1.pdf`, `<stem>-2.pdf`, ….
pub fn zip(stem: &str, files: &[Vec<u8>]) -> Result<Vec<u8>, PdfError> {
    let named: Vec<(String, Vec<u8>)> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (format!("{stem}-{}.pdf", i + 1), f.clone()))
        .collect();
    zip_named(&named)
}

/// Files in one ZIP archive, by name, stored (PDFs and images are compressed already).
pub fn zip_named(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, PdfError> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(files.iter().map(|f| f.1.len()).sum::<usize>() > u32::MAX as usize);
    let err = |e: &dyn std::fmt::Display| PdfError::internal("body", format!("zip: {e}"));
    for (name, f) in files {
        w.start_file(name.as_str(), opts).map_err(|e| err(&e))?;
        w.write_all(f).map_err(|e| err(&e))?;
    }
    let c = w.finish().map_err(|e| err(&e))?;
    Ok(c.into_inner())
}
