//! Making a PDF smaller without changing what it shows: unused objects dropped, identical
//! streams (the same image or font embedded twice) kept once, every uncompressed stream
//! deflated, Flate streams recompressed at the highest level where that is smaller, and the
//! other objects packed into compressed object streams with a cross-reference stream (PDF 1.5).

use std::collections::HashMap;
use std::io::Write;

use lopdf::{Document, Object, ObjectId};

use crate::error::PdfError;

/// Streams larger than this are not recompressed (their decompressed size would be too).
const RECOMPRESS_MAX: usize = 64 << 20;

/// The document, smaller, as bytes, and how many images were scaled down (with `images`: those
/// drawn above its DPI, rewritten as JPEG at its quality).
pub fn compress(
    doc: &mut Document,
    max_stream: usize,
    images: Option<crate::images::Target>,
) -> Result<(Vec<u8>, usize), PdfError> {
    doc.prune_objects();
    dedupe_streams(doc);
    let downsampled = match images {
        Some(t) => crate::images::downsample(doc, t, max_stream.min(RECOMPRESS_MAX)),
        None => 0,
    };
    doc.compress();
    recompress(doc, max_stream.min(RECOMPRESS_MAX));
    doc.prune_objects();
    doc.renumber_objects();
    let mut out = Vec::new();
    if doc.version.as_str() < "1.5" {
        doc.version = "1.5".into();
    }
    doc.save_modern(&mut out)
        .map_err(|e| PdfError::internal("body", format!("the PDF could not be written: {e}")))?;
    Ok((out, downsampled))
}

/// Point every reference to a stream at the first stream with the same dictionary and bytes.
fn dedupe_streams(doc: &mut Document) {
    let mut first: HashMap<(Vec<u8>, Vec<u8>), ObjectId> = HashMap::new();
    let mut same: HashMap<ObjectId, ObjectId> = HashMap::new();
    for (&id, o) in &doc.objects {
        if let Object::Stream(s) = o {
            // Small streams are not worth the comparison.
            if s.content.len() < 1024 {
                continue;
            }
            let mut dict = Vec::new();
            for (k, v) in s.dict.iter() {
                dict.extend_from_slice(k);
                dict.extend_from_slice(format!("{v:?}").as_bytes());
            }
            match first.entry((dict, s.content.clone())) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    same.insert(id, *e.get());
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(id);
                }
            }
        }
    }
    if same.is_empty() {
        return;
    }
    doc.traverse_objects(|o| {
        if let Object::Reference(r) = o
            && let Some(&to) = same.get(r)
        {
            *r = to;
        }
    });
}

/// Flate streams with a single filter and no predictor, recompressed at level 9 where smaller.
fn recompress(doc: &mut Document, max: usize) {
    for o in doc.objects.values_mut() {
        let Object::Stream(s) = o else { continue };
        let flate_only = matches!(s.dict.get(b"Filter"), Ok(Object::Name(n)) if n == b"FlateDecode")
            && s.dict.get(b"DecodeParms").is_err();
        if !flate_only {
            continue;
        }
        let Ok(plain) = s.decompressed_content_with_limit(max) else {
            continue;
        };
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        if z.write_all(&plain).is_err() {
            continue;
        }
        if let Ok(smaller) = z.finish()
            && smaller.len() < s.content.len()
        {
            s.set_content(smaller);
        }
    }
}
