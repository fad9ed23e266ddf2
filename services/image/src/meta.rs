//! Metadata (format, size, channels, orientation, EXIF with GPS, dominant colour) and
//! placeholders (BlurHash, ThumbHash, a tiny base64 preview).

use base64::Engine;
use image::{ColorType, DynamicImage, GenericImageView, ImageFormat};
use serde_json::{Map, Value, json};

use crate::decode::{self, Decoded};
use crate::error::ImageError;
use crate::ops::{Fit, Kernel, ResizeOpts};

fn color_info(c: ColorType) -> (u8, u8, bool, &'static str) {
    let space = if matches!(
        c,
        ColorType::L8 | ColorType::L16 | ColorType::La8 | ColorType::La16
    ) {
        "gray"
    } else {
        "srgb"
    };
    (
        c.channel_count(),
        (c.bits_per_pixel() / u16::from(c.channel_count())) as u8,
        c.has_alpha(),
        space,
    )
}

fn gps_decimal(e: &exif::Exif, tag: exif::Tag, reference: exif::Tag) -> Option<f64> {
    let f = e.get_field(tag, exif::In::PRIMARY)?;
    let exif::Value::Rational(ref v) = f.value else {
        return None;
    };
    if v.len() < 3 {
        return None;
    }
    let d = v[0].to_f64() + v[1].to_f64() / 60.0 + v[2].to_f64() / 3600.0;
    let r = e.get_field(reference, exif::In::PRIMARY)?;
    let neg = matches!(r.display_value().to_string().as_str(), "S" | "W");
    Some(if neg { -d } else { d })
}

/// EXIF fields by tag name (thumbnails and maker notes left out), and GPS as decimal degrees.
pub fn exif_json(e: &exif::Exif) -> Value {
    let mut m = Map::new();
    for f in e.fields() {
        if f.ifd_num != exif::In::PRIMARY || f.tag == exif::Tag::MakerNote {
            continue;
        }
        let mut v = f.display_value().with_unit(e).to_string();
        if v.len() > 256 {
            v.truncate(256);
        }
        m.insert(f.tag.to_string(), Value::String(v));
    }
    if let (Some(lat), Some(lon)) = (
        gps_decimal(e, exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef),
        gps_decimal(e, exif::Tag::GPSLongitude, exif::Tag::GPSLongitudeRef),
    ) {
        m.insert("gps".into(), json!({"latitude": lat, "longitude": lon}));
    }
    Value::Object(m)
}

/// The most common colour (4 bits a channel), averaged within its bucket, as `#rrggbb`.
pub fn dominant(img: &DynamicImage) -> String {
    let small = img.thumbnail(64, 64).to_rgba8();
    let mut buckets = vec![(0u32, [0u64; 3]); 4096];
    for p in small.pixels() {
        if p[3] < 128 {
            continue;
        }
        let k =
            (usize::from(p[0] >> 4) << 8) | (usize::from(p[1] >> 4) << 4) | usize::from(p[2] >> 4);
        buckets[k].0 += 1;
        for i in 0..3 {
            buckets[k].1[i] += u64::from(p[i]);
        }
    }
    let (n, sum) = buckets
        .iter()
        .max_by_key(|b| b.0)
        .copied()
        .unwrap_or((0, [0; 3]));
    if n == 0 {
        return "#000000".into();
    }
    let c = sum.map(|s| (s / u64::from(n)) as u8);
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Metadata of an encoded image.
pub fn metadata(
    bytes: &[u8],
    declared: Option<&str>,
    lim: &decode::Limits,
) -> Result<Value, ImageError> {
    // Decoding only to learn channels and the dominant colour: a JPEG decodes at 1/8.
    let d: Decoded = decode::decode(bytes, declared, lim, false, &|_, _| Some((64, 64)))?;
    let (channels, depth, alpha, space) = color_info(d.image.color());
    let (w, h) = d.stored;
    let upright = if (5..=8).contains(&d.orientation) {
        (h, w)
    } else {
        (w, h)
    };
    let progressive = d.format == ImageFormat::Jpeg && is_progressive(bytes);
    let mut m = json!({
        "format": decode::name(d.format),
        "width": w, "height": h,
        "uprightWidth": upright.0, "uprightHeight": upright.1,
        "orientation": d.orientation,
        "channels": channels, "bitDepth": depth, "hasAlpha": alpha, "colorSpace": space,
        "size": bytes.len(),
        "dominantColor": dominant(&d.image),
    });
    if d.format == ImageFormat::Jpeg {
        m["progressive"] = Value::Bool(progressive);
    }
    if let Some(e) = &d.exif {
        m["exif"] = exif_json(e);
    }
    Ok(m)
}

/// Whether a JPEG's first frame header is progressive (SOF2).
fn is_progressive(b: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return false;
        }
        let marker = b[i + 1];
        match marker {
            0xC2 | 0xC6 | 0xCA | 0xCE => return true,
            0xC0 | 0xC1 | 0xC3 | 0xC5 | 0xC7 | 0xC9 | 0xCB | 0xCD | 0xCF | 0xDA => return false,
            0xD8 | 0x01 | 0xD0..=0xD7 => i += 2,
            _ => {
                let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
                i += 2 + len;
            }
        }
    }
    false
}

/// BlurHash (`x` × `y` components), ThumbHash (base64) and a tiny PNG preview as a data URL.
pub fn placeholders(img: &DynamicImage, x: u32, y: u32, preview: u32) -> Result<Value, ImageError> {
    if !(1..=9).contains(&x) || !(1..=9).contains(&y) {
        return Err(ImageError::invalid(
            "componentsX",
            "components must be 1 to 9",
        ));
    }
    if !(1..=64).contains(&preview) {
        return Err(ImageError::invalid("previewSize", "must be 1 to 64 pixels"));
    }
    let small = |n: u32| {
        crate::ops::resize(
            img.clone(),
            &ResizeOpts {
                width: Some(n),
                height: Some(n),
                fit: Fit::Inside,
                kernel: Kernel::Linear,
                ..ResizeOpts::default()
            },
            &decode::Limits {
                max_pixels: u64::MAX,
                max_output_pixels: u64::MAX,
            },
        )
    };
    let t = small(64)?.to_rgba8();
    let blur = blurhash::encode(x, y, t.width(), t.height(), t.as_raw())
        .map_err(|e| ImageError::internal(format!("blurhash: {e:?}")))?;
    let th = small(100)?.to_rgba8();
    let thumb =
        thumbhash::rgba_to_thumb_hash(th.width() as usize, th.height() as usize, th.as_raw());
    let p = small(preview)?;
    let mut png = Vec::new();
    p.write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
        .map_err(ImageError::internal)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let (w, h) = img.dimensions();
    Ok(json!({
        "blurhash": blur,
        "thumbhash": b64.encode(thumb),
        "preview": format!("data:image/png;base64,{}", b64.encode(&png)),
        "width": w, "height": h,
    }))
}
