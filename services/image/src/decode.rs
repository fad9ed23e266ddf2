//! Reading an image safely: the format from its bytes (not from what the client claims), the
//! dimensions from its header (so a decompression bomb is refused before any pixel is decoded),
//! EXIF orientation, and JPEG shrink-on-load (libjpeg's DCT scaling, through jpeg-decoder), which
//! is how Sharp is fast on large JPEGs.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};

use crate::error::ImageError;

/// Limits on what is decoded and produced.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most pixels an input may have (`IMAGE_MAX_PIXELS`).
    pub max_pixels: u64,
    /// Most pixels an output may have (`IMAGE_MAX_OUTPUT_PIXELS`).
    pub max_output_pixels: u64,
}

/// The formats read.
pub const READ: &str = "JPEG, PNG, WebP, GIF, TIFF, BMP, ICO";

/// A short name for a format.
pub fn name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        ImageFormat::Gif => "gif",
        ImageFormat::Tiff => "tiff",
        ImageFormat::Bmp => "bmp",
        ImageFormat::Ico => "ico",
        ImageFormat::Avif => "avif",
        _ => "other",
    }
}

fn same_type(declared: &str, f: ImageFormat) -> bool {
    let d = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let d = d.as_str();
    match f {
        ImageFormat::Jpeg => matches!(d, "image/jpeg" | "image/jpg" | "image/pjpeg"),
        ImageFormat::Png => matches!(d, "image/png" | "image/apng"),
        ImageFormat::WebP => d == "image/webp",
        ImageFormat::Gif => d == "image/gif",
        ImageFormat::Tiff => matches!(d, "image/tiff" | "image/tif"),
        ImageFormat::Bmp => matches!(d, "image/bmp" | "image/x-bmp" | "image/x-ms-bmp"),
        ImageFormat::Ico => matches!(d, "image/x-icon" | "image/vnd.microsoft.icon" | "image/ico"),
        _ => false,
    }
}

fn unsupported(msg: String) -> ImageError {
    ImageError::unsupported(msg)
}

/// The format of `bytes`, checked against the declared Content-Type when that names an image
/// type: a body that is not an image, or is another image type than declared, is a 415 saying
/// what was found.
pub fn detect(bytes: &[u8], declared: Option<&str>) -> Result<ImageFormat, ImageError> {
    let head: String = bytes
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ");
    let f = image::guess_format(bytes).ok().filter(|f| {
        matches!(
            f,
            ImageFormat::Jpeg
                | ImageFormat::Png
                | ImageFormat::WebP
                | ImageFormat::Gif
                | ImageFormat::Tiff
                | ImageFormat::Bmp
                | ImageFormat::Ico
        )
    });
    let Some(f) = f else {
        let what = match image::guess_format(bytes) {
            Ok(other) => format!(
                "an image in a format this service does not read ({})",
                format!("{other:?}").to_uppercase()
            ),
            Err(_) => format!("not an image (it starts with {head})"),
        };
        return Err(unsupported(format!("the file is {what}; send {READ}")));
    };
    if let Some(d) = declared
        && d.to_ascii_lowercase().starts_with("image/")
        && !same_type(d, f)
    {
        return Err(unsupported(format!(
            "the Content-Type says {d}, but the file is a {}",
            name(f).to_uppercase()
        )));
    }
    Ok(f)
}

/// A JPEG's width and height, and its EXIF block when it has one.
type JpegHeader<'a> = ((u32, u32), Option<&'a [u8]>);

/// A JPEG's size (from its first frame header) and its EXIF block, by walking the markers up to
/// the scan: a few microseconds, where a general reader scans far more of a 3 MB file.
fn jpeg_header(b: &[u8]) -> Option<JpegHeader<'_>> {
    let mut i = 2;
    let mut exif = None;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let seg = b.get(i + 4..i + 2 + len)?;
        match marker {
            0xE1 if exif.is_none() && seg.starts_with(b"Exif\0\0") => exif = Some(&seg[6..]),
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF if seg.len() >= 5 => {
                let h = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
                let w = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
                return Some(((w, h), exif));
            }
            0xDA => return None,
            _ => {}
        }
        i += 2 + len;
    }
    None
}

/// Width and height from the header alone.
pub fn dimensions(bytes: &[u8], f: ImageFormat) -> Result<(u32, u32), ImageError> {
    if f == ImageFormat::Jpeg
        && let Some(((w, h), _)) = jpeg_header(bytes)
        && w > 0
        && h > 0
    {
        return Ok((w, h));
    }
    ImageReader::with_format(Cursor::new(bytes), f)
        .into_dimensions()
        .map_err(|e| corrupt(f, e))
}

fn corrupt(f: ImageFormat, e: impl std::fmt::Display) -> ImageError {
    ImageError::invalid(
        "file",
        format!("is a truncated or corrupt {}: {e}", name(f).to_uppercase()),
    )
}

/// The EXIF orientation (1 to 8; 1 when absent) and the raw EXIF, when the file has them.
pub fn exif(bytes: &[u8]) -> Option<exif::Exif> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return match jpeg_header(bytes) {
            Some((_, Some(raw))) => exif::Reader::new().read_raw(raw.to_vec()).ok(),
            Some((_, None)) => None,
            None => exif::Reader::new()
                .read_from_container(&mut Cursor::new(bytes))
                .ok(),
        };
    }
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()
}

/// The orientation tag of `e`, 1 when absent.
pub fn orientation(e: Option<&exif::Exif>) -> u32 {
    e.and_then(|e| e.get_field(exif::Tag::Orientation, exif::In::PRIMARY))
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

/// Turn an image as its EXIF orientation says.
pub fn orient(img: DynamicImage, o: u32) -> DynamicImage {
    match o {
        2 => img.fliph(),
        3 => img.rotate180(),
        4 => img.flipv(),
        5 => img.rotate90().fliph(),
        6 => img.rotate90(),
        7 => img.rotate270().fliph(),
        8 => img.rotate270(),
        _ => img,
    }
}

/// A decoded image and what was learned reading it.
pub struct Decoded {
    /// The pixels, already turned upright when `auto_orient` was asked.
    pub image: DynamicImage,
    /// The input format.
    pub format: ImageFormat,
    /// The stored width and height (before orientation).
    pub stored: (u32, u32),
    /// The EXIF orientation found (1 to 8).
    pub orientation: u32,
    /// The EXIF block, when the file has one.
    pub exif: Option<exif::Exif>,
}

fn check_pixels(w: u32, h: u32, lim: &Limits) -> Result<(), ImageError> {
    let px = u64::from(w) * u64::from(h);
    if px > lim.max_pixels {
        return Err(ImageError::impossible(
            "file",
            format!(
                "is {w} × {h} = {:.1} megapixels, over IMAGE_MAX_PIXELS ({:.1} MP); refused before decoding",
                px as f64 / 1e6,
                lim.max_pixels as f64 / 1e6
            ),
        ));
    }
    Ok(())
}

/// Decode `bytes`. `shrink_to` maps the upright width and height to the size the caller will
/// scale to, which lets a JPEG decode at 1/2, 1/4 or 1/8 scale while staying at least that large.
pub fn decode(
    bytes: &[u8],
    declared: Option<&str>,
    lim: &Limits,
    auto_orient: bool,
    shrink_to: &dyn Fn(u32, u32) -> Option<(u32, u32)>,
) -> Result<Decoded, ImageError> {
    let format = detect(bytes, declared)?;
    let (w, h) = dimensions(bytes, format)?;
    check_pixels(w, h, lim)?;
    let ex = exif(bytes);
    let o = orientation(ex.as_ref());
    // The closure sees the size the image will have once decoded (upright when auto-orienting).
    let turned = auto_orient && (5..=8).contains(&o);
    let seen = if turned { (h, w) } else { (w, h) };
    let shrink_to = shrink_to(seen.0, seen.1);
    let mut image = None;
    if format == ImageFormat::Jpeg
        && let Some((tw, th)) = shrink_to
    {
        // Requested size in stored orientation.
        let (tw, th) = if turned { (th, tw) } else { (tw, th) };
        // The largest DCT scale that still leaves both sides at least the target.
        let d = [8u32, 4, 2]
            .into_iter()
            .find(|d| w.div_ceil(*d) >= tw && h.div_ceil(*d) >= th);
        if let Some(d) = d {
            image = match decode_jpeg_libjpeg(bytes, d) {
                Some(img) => Some(img),
                None => Some(decode_jpeg_scaled(bytes, w.div_ceil(d), h.div_ceil(d))?),
            };
        }
    }
    let image = match image {
        Some(i) => i,
        None => {
            let mut r = ImageReader::with_format(Cursor::new(bytes), format);
            let mut l = image::Limits::default();
            l.max_alloc = Some(lim.max_pixels.saturating_mul(16).max(64 << 20));
            r.limits(l);
            r.decode().map_err(|e| corrupt(format, e))?
        }
    };
    let image = if auto_orient { orient(image, o) } else { image };
    Ok(Decoded {
        image,
        format,
        stored: (w, h),
        orientation: o,
        exif: ex,
    })
}

/// libjpeg-turbo's scaled decode (through mozjpeg's build of it): `1/denom` of the size. `None`
/// for what it does not turn into RGB or gray (CMYK), or when libjpeg refuses the file, so the
/// caller falls back to jpeg-decoder, which then reports the error.
fn decode_jpeg_libjpeg(bytes: &[u8], denom: u32) -> Option<DynamicImage> {
    let run = || -> std::io::Result<Option<DynamicImage>> {
        let mut d = mozjpeg::Decompress::new_mem(bytes)?;
        d.scale(u8::try_from(8 / denom.clamp(1, 8)).unwrap_or(8));
        Ok(match d.image()? {
            mozjpeg::decompress::Format::RGB(mut s) => {
                let (w, h) = (s.width() as u32, s.height() as u32);
                let px = s.read_scanlines::<u8>()?;
                s.finish()?;
                image::RgbImage::from_raw(w, h, px).map(DynamicImage::ImageRgb8)
            }
            mozjpeg::decompress::Format::Gray(mut s) => {
                let (w, h) = (s.width() as u32, s.height() as u32);
                let px = s.read_scanlines::<u8>()?;
                s.finish()?;
                image::GrayImage::from_raw(w, h, px).map(DynamicImage::ImageLuma8)
            }
            mozjpeg::decompress::Format::CMYK(_) => None,
        })
    };
    // libjpeg's fatal errors unwind (mozjpeg's error manager); they end here as a fallback.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .ok()
        .and_then(Result::ok)
        .flatten()
}

fn decode_jpeg_scaled(bytes: &[u8], tw: u32, th: u32) -> Result<DynamicImage, ImageError> {
    let f = ImageFormat::Jpeg;
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    d.read_info().map_err(|e| corrupt(f, e))?;
    let clamp = |v: u32| u16::try_from(v.max(1)).unwrap_or(u16::MAX);
    d.scale(clamp(tw), clamp(th)).map_err(|e| corrupt(f, e))?;
    let pixels = d.decode().map_err(|e| corrupt(f, e))?;
    let info = d.info().ok_or_else(|| corrupt(f, "no frame header"))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let bad = || corrupt(f, "decoded size does not match its header");
    Ok(match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, pixels).ok_or_else(bad)?)
        }
        jpeg_decoder::PixelFormat::L8 => {
            DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, pixels).ok_or_else(bad)?)
        }
        jpeg_decoder::PixelFormat::L16 => {
            let v: Vec<u16> = pixels
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            DynamicImage::ImageLuma16(image::ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            // Adobe CMYK JPEGs are stored inverted.
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = u16::from(p[3]);
                    [p[0], p[1], p[2]].map(|c| ((u16::from(c) * k) / 255) as u8)
                })
                .collect();
            DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, rgb).ok_or_else(bad)?)
        }
    })
}
