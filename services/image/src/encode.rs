//! Writing an image: JPEG (jpeg-encoder, SIMD; quality, progressive, chroma subsampling), PNG
//! (compression level, or a palette of up to 256 colours by NeuQuant), WebP (libwebp: lossy with
//! quality, or lossless), AVIF (ravif on rav1e, pure Rust), GIF, TIFF, BMP and ICO. Metadata is never copied: EXIF, GPS and
//! comments are stripped from every output.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgba};
use serde::Deserialize;

use crate::error::ImageError;

flowforge_kit::wire_enum! {
    /// An output format.
    pub enum OutFormat {
        /// JPEG.
        Jpeg = "jpeg" | "jpg",
        /// PNG.
        Png = "png",
        /// WebP.
        Webp = "webp",
        /// GIF (first frame).
        Gif = "gif",
        /// TIFF.
        Tiff = "tiff" | "tif",
        /// BMP.
        Bmp = "bmp",
        /// ICO (at most 256 × 256).
        Ico = "ico",
        /// AVIF (rav1e through ravif; encode only).
        Avif = "avif",
    }
}

impl OutFormat {
    /// The output format for an input format.
    pub fn of(f: ImageFormat) -> OutFormat {
        match f {
            ImageFormat::Png => OutFormat::Png,
            ImageFormat::WebP => OutFormat::Webp,
            ImageFormat::Gif => OutFormat::Gif,
            ImageFormat::Tiff => OutFormat::Tiff,
            ImageFormat::Bmp => OutFormat::Bmp,
            ImageFormat::Ico => OutFormat::Ico,
            _ => OutFormat::Jpeg,
        }
    }

    /// The Content-Type.
    pub fn mime(self) -> &'static str {
        match self {
            OutFormat::Jpeg => "image/jpeg",
            OutFormat::Png => "image/png",
            OutFormat::Webp => "image/webp",
            OutFormat::Gif => "image/gif",
            OutFormat::Tiff => "image/tiff",
            OutFormat::Bmp => "image/bmp",
            OutFormat::Ico => "image/x-icon",
            OutFormat::Avif => "image/avif",
        }
    }
}

/// How to write the output; every field optional.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Output {
    /// jpeg, png, webp, gif, tiff, bmp or ico (default: the input's format).
    pub format: Option<OutFormat>,
    /// JPEG and lossy WebP quality, 1 to 100 (default 80).
    pub quality: Option<u8>,
    /// JPEG: progressive (default false).
    pub progressive: Option<bool>,
    /// JPEG: `4:2:0` (default) or `4:4:4`.
    pub chroma_subsampling: Option<String>,
    /// PNG: zlib level 0 to 9 (default 6).
    pub compression_level: Option<u8>,
    /// PNG: quantise to a palette of at most 256 colours (default false).
    pub palette: Option<bool>,
    /// WebP: lossless (default false).
    pub lossless: Option<bool>,
    /// AVIF: encoder speed, 1 (smallest file, slowest) to 10 (fastest); default 8.
    pub speed: Option<u8>,
    /// Colour behind transparent pixels for formats without alpha (JPEG, BMP when asked); default white.
    pub background: Option<String>,
}

/// The names of [`Output`]'s fields, as they arrive in options.
pub const OUTPUT_KEYS: &[&str] = &[
    "format",
    "quality",
    "progressive",
    "chromaSubsampling",
    "compressionLevel",
    "palette",
    "lossless",
    "speed",
    "background",
];

/// A colour: `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(…)`-free names (white, black, red, green,
/// blue, transparent, gray).
pub fn color(s: &str, field: &str) -> Result<Rgba<u8>, ImageError> {
    let t = s.trim().to_ascii_lowercase();
    let named = match t.as_str() {
        "white" => Some([255, 255, 255, 255]),
        "black" => Some([0, 0, 0, 255]),
        "red" => Some([255, 0, 0, 255]),
        "green" => Some([0, 128, 0, 255]),
        "blue" => Some([0, 0, 255, 255]),
        "gray" | "grey" => Some([128, 128, 128, 255]),
        "transparent" => Some([0, 0, 0, 0]),
        _ => None,
    };
    if let Some(c) = named {
        return Ok(Rgba(c));
    }
    let hex = t.strip_prefix('#').unwrap_or(&t);
    let digits: Option<Vec<u8>> = match hex.len() {
        3 | 4 => hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| (d * 17) as u8))
            .collect(),
        6 | 8 => (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect(),
        _ => None,
    };
    match digits {
        Some(d) if d.len() == 3 => Ok(Rgba([d[0], d[1], d[2], 255])),
        Some(d) if d.len() == 4 => Ok(Rgba([d[0], d[1], d[2], d[3]])),
        _ => Err(ImageError::invalid(
            field,
            format!(
                "is not a colour: {s:?} (#rgb, #rrggbb, #rrggbbaa, or white, black, red, green, blue, gray, transparent)"
            ),
        )),
    }
}

fn flatten(img: &DynamicImage, bg: Rgba<u8>) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    let mut out = image::RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        for c in 0..3 {
            o[c] = ((u16::from(p[c]) * a + u16::from(bg[c]) * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

fn enc_err(f: OutFormat, e: impl std::fmt::Display) -> ImageError {
    ImageError::impossible(
        "format",
        format!("the image could not be written as {f}: {e}"),
    )
}

/// Encode `img` as `o` says (`input` is the format to keep when none is named).
pub fn encode(
    img: &DynamicImage,
    input: ImageFormat,
    o: &Output,
) -> Result<(Vec<u8>, OutFormat), ImageError> {
    let f = o.format.unwrap_or_else(|| OutFormat::of(input));
    let quality = o.quality.unwrap_or(80);
    if !(1..=100).contains(&quality) {
        return Err(ImageError::invalid("quality", "must be 1 to 100"));
    }
    let bg = match &o.background {
        Some(b) => color(b, "background")?,
        None => Rgba([255, 255, 255, 255]),
    };
    let (w, h) = (img.width(), img.height());
    let mut out = Vec::new();
    match f {
        OutFormat::Jpeg => {
            let (w16, h16) = (
                u16::try_from(w).map_err(|_| enc_err(f, "wider than 65,535 pixels"))?,
                u16::try_from(h).map_err(|_| enc_err(f, "taller than 65,535 pixels"))?,
            );
            let mut e = jpeg_encoder::Encoder::new(&mut out, quality);
            e.set_progressive(o.progressive.unwrap_or(false));
            e.set_sampling_factor(match o.chroma_subsampling.as_deref() {
                None | Some("4:2:0") => jpeg_encoder::SamplingFactor::F_2_2,
                Some("4:4:4") => jpeg_encoder::SamplingFactor::F_1_1,
                Some("4:2:2") => jpeg_encoder::SamplingFactor::F_2_1,
                Some(other) => {
                    return Err(ImageError::invalid(
                        "chromaSubsampling",
                        format!("must be 4:2:0, 4:2:2 or 4:4:4; got {other:?}"),
                    ));
                }
            });
            if matches!(img, DynamicImage::ImageLuma8(_)) {
                let g = img.to_luma8();
                e.encode(g.as_raw(), w16, h16, jpeg_encoder::ColorType::Luma)
                    .map_err(|e| enc_err(f, e))?;
            } else {
                let rgb = flatten(img, bg);
                e.encode(rgb.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
                    .map_err(|e| enc_err(f, e))?;
            }
        }
        OutFormat::Png => {
            let level = o.compression_level.unwrap_or(6);
            if level > 9 {
                return Err(ImageError::invalid("compressionLevel", "must be 0 to 9"));
            }
            let comp = match level {
                0..=2 => png::Compression::Fast,
                3..=6 => png::Compression::Balanced,
                _ => png::Compression::High,
            };
            if o.palette.unwrap_or(false) {
                write_palette_png(img, comp, &mut out).map_err(|e| enc_err(f, e))?;
            } else {
                let (data, color, depth) = match img {
                    DynamicImage::ImageLuma8(g) => (
                        g.as_raw().clone(),
                        png::ColorType::Grayscale,
                        png::BitDepth::Eight,
                    ),
                    DynamicImage::ImageLumaA8(g) => (
                        g.as_raw().clone(),
                        png::ColorType::GrayscaleAlpha,
                        png::BitDepth::Eight,
                    ),
                    DynamicImage::ImageRgb8(g) => (
                        g.as_raw().clone(),
                        png::ColorType::Rgb,
                        png::BitDepth::Eight,
                    ),
                    other if !other.color().has_alpha() => (
                        other.to_rgb8().into_raw(),
                        png::ColorType::Rgb,
                        png::BitDepth::Eight,
                    ),
                    other => (
                        other.to_rgba8().into_raw(),
                        png::ColorType::Rgba,
                        png::BitDepth::Eight,
                    ),
                };
                let mut enc = png::Encoder::new(&mut out, w, h);
                enc.set_color(color);
                enc.set_depth(depth);
                enc.set_compression(comp);
                let mut wr = enc.write_header().map_err(|e| enc_err(f, e))?;
                wr.write_image_data(&data).map_err(|e| enc_err(f, e))?;
                wr.finish().map_err(|e| enc_err(f, e))?;
            }
        }
        OutFormat::Webp => {
            let lossless = o.lossless.unwrap_or(false);
            let mem = if img.color().has_alpha() {
                let rgba = img.to_rgba8();
                let e = webp::Encoder::from_rgba(rgba.as_raw(), w, h);
                if lossless {
                    e.encode_lossless()
                } else {
                    e.encode(f32::from(quality))
                }
            } else {
                let rgb = img.to_rgb8();
                let e = webp::Encoder::from_rgb(rgb.as_raw(), w, h);
                if lossless {
                    e.encode_lossless()
                } else {
                    e.encode(f32::from(quality))
                }
            };
            out.extend_from_slice(&mem);
            if out.is_empty() {
                return Err(enc_err(
                    f,
                    "libwebp refused the image (at most 16,383 × 16,383)",
                ));
            }
        }
        OutFormat::Avif => {
            let speed = o.speed.unwrap_or(8);
            if !(1..=10).contains(&speed) {
                return Err(ImageError::invalid("speed", "must be 1 to 10"));
            }
            let enc =
                image::codecs::avif::AvifEncoder::new_with_speed_quality(&mut out, speed, quality);
            let img = if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8())
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8())
            };
            img.write_with_encoder(enc).map_err(|e| enc_err(f, e))?;
        }
        OutFormat::Ico if w > 256 || h > 256 => {
            return Err(ImageError::impossible(
                "format",
                format!("ico holds at most 256 × 256; this image is {w} × {h} (resize first)"),
            ));
        }
        OutFormat::Gif | OutFormat::Tiff | OutFormat::Bmp | OutFormat::Ico => {
            let fmt = match f {
                OutFormat::Gif => ImageFormat::Gif,
                OutFormat::Tiff => ImageFormat::Tiff,
                OutFormat::Bmp => ImageFormat::Bmp,
                _ => ImageFormat::Ico,
            };
            let img = match f {
                OutFormat::Gif | OutFormat::Ico => DynamicImage::ImageRgba8(img.to_rgba8()),
                _ if img.color().has_alpha() => DynamicImage::ImageRgba8(img.to_rgba8()),
                _ => DynamicImage::ImageRgb8(img.to_rgb8()),
            };
            img.write_to(&mut Cursor::new(&mut out), fmt)
                .map_err(|e| enc_err(f, e))?;
        }
    }
    Ok((out, f))
}

fn write_palette_png(
    img: &DynamicImage,
    comp: png::Compression,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let rgba = img.to_rgba8();
    let (w, h) = rgba.dimensions();
    let nq = color_quant::NeuQuant::new(10, 256, rgba.as_raw());
    let map = nq.color_map_rgba();
    let idx: Vec<u8> = rgba.pixels().map(|p| nq.index_of(&p.0) as u8).collect();
    let n = map.len() / 4;
    let mut palette = Vec::with_capacity(n * 3);
    let mut trns = Vec::with_capacity(n);
    for c in map.chunks_exact(4) {
        palette.extend_from_slice(&c[..3]);
        trns.push(c[3]);
    }
    let mut enc = png::Encoder::new(out, w, h);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(comp);
    enc.set_palette(palette);
    if trns.iter().any(|a| *a < 255) {
        enc.set_trns(trns);
    }
    let mut wr = enc.write_header().map_err(|e| e.to_string())?;
    wr.write_image_data(&idx).map_err(|e| e.to_string())?;
    wr.finish().map_err(|e| e.to_string())
}
