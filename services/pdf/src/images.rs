//! Image downsampling for `compress`: each image's resolution as it is drawn (its pixels over
//! the size the pages' content streams draw it at, through nested forms), and images above a
//! target DPI scaled down and stored as JPEG at a quality, where that is smaller. Images this
//! cannot read exactly (masks, /Decode arrays, CMYK, indexed colours, JPEG 2000, fax) are left
//! as they are.

use std::collections::{HashMap, HashSet};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::document;
use crate::geometry::number as num;

/// How far images are reduced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// Images drawn at more than this many dots per inch are scaled down to it.
    pub dpi: f32,
    /// JPEG quality of the images written, 1 to 100.
    pub quality: u8,
}

type Matrix = [f32; 6];

fn mul(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(r) => doc.get_object(*r).unwrap_or(o),
        o => o,
    }
}

/// The XObjects a resource dictionary names.
fn xobjects(doc: &Document, resources: &Object) -> HashMap<Vec<u8>, ObjectId> {
    let mut out = HashMap::new();
    if let Ok(res) = deref(doc, resources).as_dict()
        && let Ok(xo) = res.get(b"XObject")
        && let Ok(xo) = deref(doc, xo).as_dict()
    {
        for (k, v) in xo.iter() {
            if let Ok(id) = v.as_reference() {
                out.insert(k.clone(), id);
            }
        }
    }
    out
}

/// The largest size (points wide, points high) each image is drawn at.
fn drawn_sizes(doc: &Document) -> HashMap<ObjectId, (f32, f32)> {
    let mut sizes = HashMap::new();
    let Ok(pages) = document::page_ids(doc, usize::MAX, "file") else {
        return sizes;
    };
    for page in pages {
        let content = doc.get_page_content(page);
        let resources = document::inherited(doc, page, b"Resources").unwrap_or(Object::Null);
        let mut seen = HashSet::new();
        walk(
            doc,
            &content,
            &resources,
            [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            0,
            &mut seen,
            &mut sizes,
        );
    }
    sizes
}

fn walk(
    doc: &Document,
    content: &[u8],
    resources: &Object,
    start: Matrix,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    sizes: &mut HashMap<ObjectId, (f32, f32)>,
) {
    let Ok(ops) = Content::decode(content) else {
        return;
    };
    let names = xobjects(doc, resources);
    let mut ctm = start;
    let mut stack = Vec::new();
    for op in ops.operations {
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(start),
            "cm" => {
                let m: Vec<f32> = op.operands.iter().filter_map(num).collect();
                if let [a, b, c, d, e, f] = m[..] {
                    ctm = mul([a, b, c, d, e, f], ctm);
                }
            }
            "Do" => {
                let Some(id) = op
                    .operands
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| names.get(n))
                else {
                    continue;
                };
                let Ok(Object::Stream(s)) = doc.get_object(*id) else {
                    continue;
                };
                match s.dict.get(b"Subtype").and_then(Object::as_name) {
                    Ok(b"Image") => {
                        let w = (ctm[0] * ctm[0] + ctm[1] * ctm[1]).sqrt();
                        let h = (ctm[2] * ctm[2] + ctm[3] * ctm[3]).sqrt();
                        let e = sizes.entry(*id).or_insert((0.0, 0.0));
                        e.0 = e.0.max(w);
                        e.1 = e.1.max(h);
                    }
                    Ok(b"Form") if depth < 8 && seen.insert(*id) => {
                        let m: Vec<f32> = s
                            .dict
                            .get(b"Matrix")
                            .and_then(Object::as_array)
                            .map(|a| a.iter().filter_map(num).collect())
                            .unwrap_or_default();
                        let fm = match m[..] {
                            [a, b, c, d, e, f] => [a, b, c, d, e, f],
                            _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                        };
                        let res = s.dict.get(b"Resources").cloned().unwrap_or(Object::Null);
                        let inner = s
                            .decompressed_content()
                            .unwrap_or_else(|_| s.content.clone());
                        walk(doc, &inner, &res, mul(fm, ctm), depth + 1, seen, sizes);
                        seen.remove(id);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Colour components of an image this module can rewrite: 1 (grey) or 3 (RGB).
fn components(doc: &Document, d: &Dictionary) -> Option<u8> {
    let cs = deref(doc, d.get(b"ColorSpace").ok()?);
    match cs {
        Object::Name(n) if n == b"DeviceRGB" => Some(3),
        Object::Name(n) if n == b"DeviceGray" => Some(1),
        Object::Array(a) if a.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") => {
            let s = deref(doc, a.get(1)?).as_stream().ok()?;
            match s.dict.get(b"N").ok().and_then(num)? as u8 {
                n @ (1 | 3) => Some(n),
                _ => None,
            }
        }
        _ => None,
    }
}

/// One image's pixels, when this module can read them exactly.
fn pixels(doc: &Document, id: ObjectId, max: usize) -> Option<image::DynamicImage> {
    let s = doc.get_object(id).ok()?.as_stream().ok()?;
    let d = &s.dict;
    if d.has(b"Decode")
        || d.has(b"Mask")
        || d.get(b"ImageMask").ok().and_then(|o| o.as_bool().ok()) == Some(true)
    {
        return None;
    }
    if d.get(b"BitsPerComponent").ok().and_then(num) != Some(8.0) {
        return None;
    }
    let n = components(doc, d)?;
    let w = d.get(b"Width").ok().and_then(num)? as u32;
    let h = d.get(b"Height").ok().and_then(num)? as u32;
    let filters: Vec<&[u8]> = match d.get(b"Filter") {
        Err(_) => Vec::new(),
        Ok(Object::Name(f)) => vec![f.as_slice()],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
        Ok(_) => return None,
    };
    let img = match filters.as_slice() {
        [b"DCTDecode"] => {
            let img =
                image::load_from_memory_with_format(&s.content, image::ImageFormat::Jpeg).ok()?;
            if img.color().channel_count() != n {
                return None;
            }
            img
        }
        [] | [b"FlateDecode"] => {
            let raw = if filters.is_empty() {
                s.content.clone()
            } else {
                s.decompressed_content_with_limit(max).ok()?
            };
            let len = (w as usize)
                .checked_mul(h as usize)?
                .checked_mul(n as usize)?;
            let raw = raw.get(..len)?.to_vec();
            if n == 3 {
                image::DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, raw)?)
            } else {
                image::DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, raw)?)
            }
        }
        _ => return None,
    };
    (img.width() == w && img.height() == h).then_some(img)
}

/// Scale down every image drawn above `target.dpi` and store it as JPEG where that is smaller;
/// returns how many images were rewritten.
pub fn downsample(doc: &mut Document, target: Target, max_stream: usize) -> usize {
    let sizes = drawn_sizes(doc);
    let mut done = 0;
    for (id, (wpt, hpt)) in sizes {
        if wpt < 0.5 || hpt < 0.5 {
            continue;
        }
        let Some(img) = pixels(doc, id, max_stream) else {
            continue;
        };
        let dpi = (img.width() as f32 / (wpt / 72.0)).min(img.height() as f32 / (hpt / 72.0));
        if dpi <= target.dpi * 1.05 {
            continue;
        }
        let scale = target.dpi / dpi;
        let nw = ((img.width() as f32 * scale).round() as u32).max(1);
        let nh = ((img.height() as f32 * scale).round() as u32).max(1);
        let small = img.resize_exact(nw, nh, image::imageops::FilterType::Triangle);
        let mut jpeg = Vec::new();
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut jpeg,
            target.quality.clamp(1, 100),
        );
        let written = match small {
            image::DynamicImage::ImageLuma8(g) => g.write_with_encoder(enc),
            other => other.to_rgb8().write_with_encoder(enc),
        };
        if written.is_err() {
            continue;
        }
        let Ok(Object::Stream(s)) = doc.get_object_mut(id) else {
            continue;
        };
        if jpeg.len() >= s.content.len() {
            continue;
        }
        s.dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
        s.dict.remove(b"DecodeParms");
        s.dict.set("Width", Object::Integer(i64::from(nw)));
        s.dict.set("Height", Object::Integer(i64::from(nh)));
        s.dict.set("BitsPerComponent", Object::Integer(8));
        s.set_content(jpeg);
        s.allows_compression = false;
        done += 1;
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        // Scale by 2, then move by (10, 0): a point at (1, 1) lands at (12, 2).
        let m = mul(
            [2.0, 0.0, 0.0, 2.0, 0.0, 0.0],
            [1.0, 0.0, 0.0, 1.0, 10.0, 0.0],
        );
        assert_eq!((m[0] + m[2] + m[4], m[1] + m[3] + m[5]), (12.0, 2.0));
    }
}
