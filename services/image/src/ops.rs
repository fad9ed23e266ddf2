//! The operations, each on a decoded image: resize (fast_image_resize, SIMD convolution), crop
//! (rectangle, gravity, or smart by entropy or attention), extend, trim, rotate, flip and flop,
//! the adjustments, composite and text watermarks. Sharp's option names and semantics where it
//! has them.

use fast_image_resize as fr;
use image::{DynamicImage, GenericImageView, Rgba, RgbaImage};
use serde::Deserialize;

use crate::decode::Limits;
use crate::encode::color;
use crate::error::ImageError;

flowforge_kit::wire_enum! {
    /// How an image fits a width and height.
    #[derive(Default)]
    pub enum Fit {
        /// Cover both dimensions, cropping the overflow at `position` (default).
        #[default]
        Cover = "cover",
        /// Fit inside both, padded with `background` to exactly the size.
        Contain = "contain",
        /// Stretch to exactly the size, ignoring the aspect ratio.
        Fill = "fill",
        /// Fit inside both, no padding (the result may be smaller in one dimension).
        Inside = "inside",
        /// Cover both, no cropping (the result may be larger in one dimension).
        Outside = "outside",
    }
}

flowforge_kit::wire_enum! {
    /// Where to keep or place content.
    #[derive(Default)]
    pub enum Gravity {
        /// Centre (default).
        #[default]
        Centre = "centre" | "center",
        /// Top.
        North = "north" | "top",
        /// Top right.
        Northeast = "northeast" | "right top",
        /// Right.
        East = "east" | "right",
        /// Bottom right.
        Southeast = "southeast" | "right bottom",
        /// Bottom.
        South = "south" | "bottom",
        /// Bottom left.
        Southwest = "southwest" | "left bottom",
        /// Left.
        West = "west" | "left",
        /// Top left.
        Northwest = "northwest" | "left top",
        /// The part with the most detail (Shannon entropy of luminance).
        Entropy = "entropy",
        /// The part most likely to draw the eye: edges, saturation, skin tones.
        Attention = "attention",
    }
}

flowforge_kit::wire_enum! {
    /// A resampling kernel.
    #[derive(Default)]
    pub enum Kernel {
        /// Nearest neighbour.
        Nearest = "nearest",
        /// Bilinear.
        Linear = "linear" | "bilinear",
        /// Catmull-Rom cubic.
        Cubic = "cubic",
        /// Mitchell-Netravali.
        Mitchell = "mitchell",
        /// Lanczos with a = 3 (default, as Sharp).
        #[default]
        Lanczos3 = "lanczos3",
    }
}

/// Resize.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResizeOpts {
    /// Target width; with only one of width and height the other keeps the aspect ratio.
    pub width: Option<u32>,
    /// Target height.
    pub height: Option<u32>,
    /// cover (default), contain, fill, inside, outside.
    #[serde(default)]
    pub fit: Fit,
    /// For cover: what to keep (a gravity, `entropy` or `attention`); for contain: where to place.
    #[serde(default, alias = "gravity")]
    pub position: Gravity,
    /// Enlarge a smaller image (default false: it is returned at its own size).
    #[serde(default)]
    pub enlarge: bool,
    /// For contain: the padding colour (default black, transparent where the output has alpha).
    pub background: Option<String>,
    /// nearest, linear, cubic, mitchell, lanczos3 (default).
    #[serde(default)]
    pub kernel: Kernel,
}

/// Crop.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CropOpts {
    /// Left edge of a rectangle.
    pub left: Option<u32>,
    /// Top edge of a rectangle.
    pub top: Option<u32>,
    /// Width of the crop.
    pub width: u32,
    /// Height of the crop.
    pub height: u32,
    /// Without left/top: where to cut (a gravity, `entropy` or `attention` for a smart crop).
    #[serde(default, alias = "position")]
    pub gravity: Gravity,
}

/// Extend (pad) the canvas.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExtendOpts {
    /// Pixels added on top.
    #[serde(default)]
    pub top: u32,
    /// Pixels added below.
    #[serde(default)]
    pub bottom: u32,
    /// Pixels added on the left.
    #[serde(default)]
    pub left: u32,
    /// Pixels added on the right.
    #[serde(default)]
    pub right: u32,
    /// The colour (default black; `transparent` allowed).
    pub background: Option<String>,
}

/// Trim uniform borders.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrimOpts {
    /// How far a pixel may differ from the top-left one (0 to 255, summed channel distance / 3) and still be border (default 10).
    pub threshold: Option<u8>,
}

/// Rotate.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RotateOpts {
    /// Degrees clockwise; multiples of 90 are lossless, others expand the canvas.
    pub angle: f64,
    /// For other angles: the colour of the uncovered corners (default black; `transparent`).
    pub background: Option<String>,
}

/// Colour and tone adjustments, applied in the order listed here.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdjustOpts {
    /// Gaussian blur sigma (0.3 to 1000).
    pub blur: Option<f32>,
    /// Unsharp-mask sigma, 0.01 to 10 (1 is a common choice).
    pub sharpen: Option<f32>,
    /// Convert to grayscale.
    #[serde(default)]
    pub grayscale: bool,
    /// Multiply brightness (1 unchanged, 0.5 half, 2 double).
    pub brightness: Option<f32>,
    /// Contrast change in percent (-100 to 100; 0 unchanged).
    pub contrast: Option<f32>,
    /// Multiply saturation (1 unchanged, 0 gray).
    pub saturation: Option<f32>,
    /// Rotate hue by degrees.
    pub hue: Option<i32>,
    /// Gamma (1 unchanged; 2.2 brightens mid-tones).
    pub gamma: Option<f32>,
    /// Invert the colours (alpha kept).
    #[serde(default)]
    pub negate: bool,
    /// Stretch luminance to the full range (1st to 99th percentile).
    #[serde(default)]
    pub normalize: bool,
    /// Black and white at this luminance (0 to 255).
    pub threshold: Option<u8>,
    /// Tint with a colour, keeping luminance.
    pub tint: Option<String>,
}

/// Overlay an image or text.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WatermarkOpts {
    /// Text to draw (bundled Ubuntu Light font, or Hack with `font: mono`).
    pub text: Option<String>,
    /// The image to overlay, base64 (or the multipart part `overlay`).
    pub overlay: Option<String>,
    /// Where (default southeast).
    pub gravity: Option<Gravity>,
    /// Offset from the gravity's edge, pixels, horizontally.
    #[serde(default)]
    pub dx: i64,
    /// Offset from the gravity's edge, pixels, vertically.
    #[serde(default)]
    pub dy: i64,
    /// 0 to 1 (default 0.5 for text, 1 for images).
    pub opacity: Option<f32>,
    /// Repeat over the whole image.
    #[serde(default)]
    pub tile: bool,
    /// Text size in pixels (default 5% of the image's shorter side, at least 12).
    pub size: Option<f32>,
    /// Text colour (default white).
    pub color: Option<String>,
    /// `sans` (default) or `mono`.
    pub font: Option<String>,
}

/// One step of a pipeline.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Op {
    /// Resize.
    Resize(ResizeOpts),
    /// Crop.
    Crop(CropOpts),
    /// Extend the canvas.
    Extend(ExtendOpts),
    /// Trim uniform borders.
    Trim(TrimOpts),
    /// Rotate.
    Rotate(RotateOpts),
    /// Mirror top to bottom.
    Flip,
    /// Mirror left to right.
    Flop,
    /// Adjust colours and tone.
    Adjust(AdjustOpts),
    /// Overlay an image or text.
    Watermark(WatermarkOpts),
}

fn check_out(w: u64, h: u64, lim: &Limits, field: &str) -> Result<(), ImageError> {
    if w == 0 || h == 0 {
        return Err(ImageError::invalid(field, "gives an empty image"));
    }
    if w.saturating_mul(h) > lim.max_output_pixels {
        return Err(ImageError::impossible(
            field,
            format!(
                "gives {w} × {h} pixels, over IMAGE_MAX_OUTPUT_PIXELS ({:.1} MP)",
                lim.max_output_pixels as f64 / 1e6
            ),
        ));
    }
    Ok(())
}

/// The upright size a resize will scale the whole image to (before any cover crop), so a JPEG can
/// be decoded no larger than needed.
pub fn resize_target(o: &ResizeOpts, w: u32, h: u32) -> Option<(u32, u32)> {
    let (sw, sh) = (f64::from(w), f64::from(h));
    let (tw, th) = match (o.width, o.height) {
        (Some(tw), Some(th)) => {
            let (rx, ry) = (f64::from(tw) / sw, f64::from(th) / sh);
            let r = match o.fit {
                Fit::Cover | Fit::Outside => rx.max(ry),
                Fit::Contain | Fit::Inside => rx.min(ry),
                Fit::Fill => return Some((tw, th)),
            };
            ((sw * r).round() as u32, (sh * r).round() as u32)
        }
        (Some(tw), None) => (tw, (sh * f64::from(tw) / sw).round() as u32),
        (None, Some(th)) => ((sw * f64::from(th) / sh).round() as u32, th),
        (None, None) => return None,
    };
    Some((tw.max(1), th.max(1)))
}

fn filter(k: Kernel) -> fr::ResizeAlg {
    match k {
        Kernel::Nearest => fr::ResizeAlg::Nearest,
        Kernel::Linear => fr::ResizeAlg::Convolution(fr::FilterType::Bilinear),
        Kernel::Cubic => fr::ResizeAlg::Convolution(fr::FilterType::CatmullRom),
        Kernel::Mitchell => fr::ResizeAlg::Convolution(fr::FilterType::Mitchell),
        Kernel::Lanczos3 => fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3),
    }
}

/// Scale (a source window of) `img` to `w` × `h`.
fn scale(
    img: &DynamicImage,
    w: u32,
    h: u32,
    window: Option<(f64, f64, f64, f64)>,
    kernel: Kernel,
) -> Result<DynamicImage, ImageError> {
    // fast_image_resize works on 8-bit gray, RGB and RGBA (and 16-bit); keep to 8 bits.
    let src = match img {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => {
            None
        }
        other if other.color().has_alpha() => Some(DynamicImage::ImageRgba8(other.to_rgba8())),
        other => Some(DynamicImage::ImageRgb8(other.to_rgb8())),
    };
    let src = src.as_ref().unwrap_or(img);
    let mut dst = DynamicImage::new(w, h, src.color());
    let mut opts = fr::ResizeOptions::new().resize_alg(filter(kernel));
    if let Some((l, t, cw, ch)) = window {
        opts = opts.crop(l, t, cw, ch);
    }
    fr::Resizer::new()
        .resize(src, &mut dst, &opts)
        .map_err(|e| ImageError::internal(format!("resize: {e}")))?;
    Ok(dst)
}

fn gravity_offset(g: Gravity, free_x: u32, free_y: u32) -> (u32, u32) {
    let (cx, cy) = (free_x / 2, free_y / 2);
    match g {
        Gravity::North => (cx, 0),
        Gravity::Northeast => (free_x, 0),
        Gravity::East => (free_x, cy),
        Gravity::Southeast => (free_x, free_y),
        Gravity::South => (cx, free_y),
        Gravity::Southwest => (0, free_y),
        Gravity::West => (0, cy),
        Gravity::Northwest => (0, 0),
        _ => (cx, cy),
    }
}

/// A `cw` × `ch` window of `img` chosen by `g` (smart gravities score a small copy).
fn window(img: &DynamicImage, cw: u32, ch: u32, g: Gravity) -> (u32, u32) {
    let (w, h) = img.dimensions();
    let (fx, fy) = (w.saturating_sub(cw), h.saturating_sub(ch));
    if !matches!(g, Gravity::Entropy | Gravity::Attention) || (fx == 0 && fy == 0) {
        return gravity_offset(g, fx, fy);
    }
    // Score on a copy at most 256 px on its long side.
    let s = (256.0 / f64::from(w.max(h))).min(1.0);
    let (sw, sh) = (
        ((f64::from(w) * s) as u32).max(1),
        ((f64::from(h) * s) as u32).max(1),
    );
    let small = scale(img, sw, sh, None, Kernel::Linear)
        .unwrap_or_else(|_| img.clone())
        .to_rgb8();
    let score: Vec<f64> = match g {
        Gravity::Entropy => small.pixels().map(|p| luma(p.0) as f64).collect(),
        _ => attention(&small),
    };
    let (ww, wh) = (
        ((f64::from(cw) * s) as u32).clamp(1, sw),
        ((f64::from(ch) * s) as u32).clamp(1, sh),
    );
    let mut best = (f64::MIN, 0u32, 0u32);
    let steps = 24u32;
    for iy in 0..=steps.min(sh - wh) {
        let y = if sh == wh {
            0
        } else {
            iy * (sh - wh) / steps.min(sh - wh).max(1)
        };
        for ix in 0..=steps.min(sw - ww) {
            let x = if sw == ww {
                0
            } else {
                ix * (sw - ww) / steps.min(sw - ww).max(1)
            };
            let v = if g == Gravity::Entropy {
                entropy(&score, sw, x, y, ww, wh)
            } else {
                sum(&score, sw, x, y, ww, wh)
            };
            if v > best.0 {
                best = (v, x, y);
            }
        }
    }
    (
        ((f64::from(best.1) / s) as u32).min(fx),
        ((f64::from(best.2) / s) as u32).min(fy),
    )
}

fn luma(p: [u8; 3]) -> u8 {
    ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
}

fn entropy(l: &[f64], stride: u32, x: u32, y: u32, w: u32, h: u32) -> f64 {
    let mut hist = [0u32; 64];
    for yy in y..y + h {
        for xx in x..x + w {
            hist[(l[(yy * stride + xx) as usize] as usize) >> 2] += 1;
        }
    }
    let n = f64::from(w * h);
    -hist
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            p * p.log2()
        })
        .sum::<f64>()
}

fn sum(v: &[f64], stride: u32, x: u32, y: u32, w: u32, h: u32) -> f64 {
    let mut s = 0.0;
    for yy in y..y + h {
        let row = (yy * stride) as usize;
        s += v[row + x as usize..row + (x + w) as usize]
            .iter()
            .sum::<f64>();
    }
    s
}

/// Edges (luminance gradient), saturation and skin tones, as Sharp's attention strategy weighs them.
fn attention(img: &image::RgbImage) -> Vec<f64> {
    let (w, h) = img.dimensions();
    let l: Vec<f64> = img.pixels().map(|p| f64::from(luma(p.0))).collect();
    let mut out = vec![0.0; (w * h) as usize];
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) as usize;
            let gx = if x + 1 < w && x > 0 {
                l[i + 1] - l[i - 1]
            } else {
                0.0
            };
            let gy = if y + 1 < h && y > 0 {
                l[i + w as usize] - l[i - w as usize]
            } else {
                0.0
            };
            let p = img.get_pixel(x, y).0.map(f64::from);
            let (mx, mn) = (p[0].max(p[1]).max(p[2]), p[0].min(p[1]).min(p[2]));
            let sat = if mx > 0.0 { (mx - mn) / mx } else { 0.0 };
            let skin = p[0] > 95.0
                && p[1] > 40.0
                && p[2] > 20.0
                && p[0] > p[1]
                && p[0] > p[2]
                && (p[0] - p[1]) > 15.0;
            out[i] = (gx.abs() + gy.abs()) / 255.0 + sat * 0.5 + if skin { 1.0 } else { 0.0 };
        }
    }
    out
}

fn bg_or(b: Option<&str>, default: Rgba<u8>, field: &str) -> Result<Rgba<u8>, ImageError> {
    match b {
        Some(s) => color(s, field),
        None => Ok(default),
    }
}

/// A canvas of `w` × `h` in `bg`, with `img` drawn at `(x, y)`.
fn place(img: &DynamicImage, w: u32, h: u32, x: i64, y: i64, bg: Rgba<u8>) -> DynamicImage {
    let mut canvas = RgbaImage::from_pixel(w, h, bg);
    image::imageops::replace(&mut canvas, &img.to_rgba8(), x, y);
    if bg[3] == 255 && !img.color().has_alpha() {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8())
    } else {
        DynamicImage::ImageRgba8(canvas)
    }
}

/// Resize as Sharp's `resize` does.
pub fn resize(img: DynamicImage, o: &ResizeOpts, lim: &Limits) -> Result<DynamicImage, ImageError> {
    let (w, h) = img.dimensions();
    if o.width == Some(0) || o.height == Some(0) {
        return Err(ImageError::invalid(
            if o.width == Some(0) {
                "width"
            } else {
                "height"
            },
            "must be at least 1",
        ));
    }
    let Some((tw, th)) = resize_target(o, w, h) else {
        return Err(ImageError::invalid("width", "width or height is required"));
    };
    let (bw, bh) = (o.width.unwrap_or(tw), o.height.unwrap_or(th));
    check_out(u64::from(tw.max(bw)), u64::from(th.max(bh)), lim, "width")?;
    // As Sharp's withoutEnlargement: an image the resize would enlarge comes back as it is.
    if !o.enlarge && (tw > w || th > h) {
        return Ok(img);
    }
    match o.fit {
        Fit::Fill | Fit::Inside | Fit::Outside => scale(&img, tw, th, None, o.kernel),
        Fit::Cover => {
            let (bw, bh) = (bw.min(tw), bh.min(th));
            // Choose the window in source pixels, then scale only it.
            let r = f64::from(tw) / f64::from(w);
            let (cw, ch) = (
                (f64::from(bw) / r).min(f64::from(w)),
                (f64::from(bh) / r).min(f64::from(h)),
            );
            let (x, y) = window(&img, cw.round() as u32, ch.round() as u32, o.position);
            let x = f64::from(x).min(f64::from(w) - cw).max(0.0);
            let y = f64::from(y).min(f64::from(h) - ch).max(0.0);
            scale(&img, bw, bh, Some((x, y, cw, ch)), o.kernel)
        }
        Fit::Contain => {
            let inner = scale(&img, tw, th, None, o.kernel)?;
            let default = if img.color().has_alpha() {
                Rgba([0, 0, 0, 0])
            } else {
                Rgba([0, 0, 0, 255])
            };
            let bg = bg_or(o.background.as_deref(), default, "background")?;
            let (x, y) = gravity_offset(o.position, bw.saturating_sub(tw), bh.saturating_sub(th));
            Ok(place(&inner, bw, bh, i64::from(x), i64::from(y), bg))
        }
    }
}

/// Crop a rectangle, or a size by gravity (smart with `entropy` / `attention`).
pub fn crop(img: DynamicImage, o: &CropOpts) -> Result<DynamicImage, ImageError> {
    let (w, h) = img.dimensions();
    if o.width == 0 || o.height == 0 {
        return Err(ImageError::invalid(
            if o.width == 0 { "width" } else { "height" },
            "must be at least 1",
        ));
    }
    let (x, y) = match (o.left, o.top) {
        (None, None) => {
            let (cw, ch) = (o.width.min(w), o.height.min(h));
            let (x, y) = window(&img, cw, ch, o.gravity);
            return Ok(img.crop_imm(x, y, cw, ch));
        }
        (l, t) => (l.unwrap_or(0), t.unwrap_or(0)),
    };
    if u64::from(x) + u64::from(o.width) > u64::from(w)
        || u64::from(y) + u64::from(o.height) > u64::from(h)
    {
        return Err(ImageError::impossible(
            "width",
            format!(
                "the rectangle {}×{} at ({x}, {y}) reaches outside the {w} × {h} image",
                o.width, o.height
            ),
        ));
    }
    Ok(img.crop_imm(x, y, o.width, o.height))
}

/// Pad the canvas.
pub fn extend(img: DynamicImage, o: &ExtendOpts, lim: &Limits) -> Result<DynamicImage, ImageError> {
    let (w, h) = img.dimensions();
    let nw = u64::from(w) + u64::from(o.left) + u64::from(o.right);
    let nh = u64::from(h) + u64::from(o.top) + u64::from(o.bottom);
    check_out(nw, nh, lim, "top")?;
    let bg = bg_or(o.background.as_deref(), Rgba([0, 0, 0, 255]), "background")?;
    Ok(place(
        &img,
        nw as u32,
        nh as u32,
        i64::from(o.left),
        i64::from(o.top),
        bg,
    ))
}

/// Remove borders the colour of the top-left pixel.
pub fn trim(img: DynamicImage, o: &TrimOpts) -> Result<DynamicImage, ImageError> {
    let t = u32::from(o.threshold.unwrap_or(10));
    let rgba = img.to_rgba8();
    let (w, h) = rgba.dimensions();
    let c = *rgba.get_pixel(0, 0);
    let differs = |p: &Rgba<u8>| {
        let d: u32 = (0..4).map(|i| u32::from(p[i].abs_diff(c[i]))).sum();
        d / 3 > t
    };
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0u32, 0u32);
    for (x, y, p) in rgba.enumerate_pixels() {
        if differs(p) {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
    }
    if x0 > x1 || y0 > y1 {
        return Err(ImageError::impossible(
            "threshold",
            "every pixel is border: nothing would be left",
        ));
    }
    Ok(img.crop_imm(x0, y0, x1 - x0 + 1, y1 - y0 + 1))
}

/// Rotate clockwise.
pub fn rotate(img: DynamicImage, o: &RotateOpts, lim: &Limits) -> Result<DynamicImage, ImageError> {
    if !o.angle.is_finite() {
        return Err(ImageError::invalid("angle", "must be a number of degrees"));
    }
    let a = o.angle.rem_euclid(360.0);
    if a.fract() == 0.0 && (a as u32).is_multiple_of(90) {
        return Ok(match a as u32 {
            90 => img.rotate90(),
            180 => img.rotate180(),
            270 => img.rotate270(),
            _ => img,
        });
    }
    let bg = bg_or(o.background.as_deref(), Rgba([0, 0, 0, 255]), "background")?;
    let src = img.to_rgba8();
    let (w, h) = (f64::from(src.width()), f64::from(src.height()));
    let (s, c) = a.to_radians().sin_cos();
    let nw = (w * c.abs() + h * s.abs()).ceil();
    let nh = (w * s.abs() + h * c.abs()).ceil();
    check_out(nw as u64, nh as u64, lim, "angle")?;
    let mut out = RgbaImage::from_pixel(nw as u32, nh as u32, bg);
    let (cx, cy, ncx, ncy) = (w / 2.0, h / 2.0, nw / 2.0, nh / 2.0);
    for (x, y, p) in out.enumerate_pixels_mut() {
        let (dx, dy) = (f64::from(x) + 0.5 - ncx, f64::from(y) + 0.5 - ncy);
        // Inverse rotation: destination to source.
        let sx = dx * c + dy * s + cx - 0.5;
        let sy = -dx * s + dy * c + cy - 0.5;
        if sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5 {
            continue;
        }
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let get = |xx: f64, yy: f64| -> [f64; 4] {
            let xi = xx.clamp(0.0, w - 1.0) as u32;
            let yi = yy.clamp(0.0, h - 1.0) as u32;
            src.get_pixel(xi, yi).0.map(f64::from)
        };
        let (a00, a10, a01, a11) = (
            get(x0, y0),
            get(x0 + 1.0, y0),
            get(x0, y0 + 1.0),
            get(x0 + 1.0, y0 + 1.0),
        );
        for i in 0..4 {
            let v = a00[i] * (1.0 - fx) * (1.0 - fy)
                + a10[i] * fx * (1.0 - fy)
                + a01[i] * (1.0 - fx) * fy
                + a11[i] * fx * fy;
            p[i] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    Ok(if bg[3] == 255 && !img.color().has_alpha() {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(out).to_rgb8())
    } else {
        DynamicImage::ImageRgba8(out)
    })
}

fn map_rgb(img: DynamicImage, f: impl Fn([f32; 3]) -> [f32; 3]) -> DynamicImage {
    let alpha = img.color().has_alpha();
    let mut rgba = img.to_rgba8();
    for p in rgba.pixels_mut() {
        let o = f([f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]);
        for i in 0..3 {
            p[i] = o[i].round().clamp(0.0, 255.0) as u8;
        }
    }
    if alpha {
        DynamicImage::ImageRgba8(rgba)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).to_rgb8())
    }
}

fn lum(c: [f32; 3]) -> f32 {
    0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}

/// Apply the adjustments that are set.
pub fn adjust(mut img: DynamicImage, o: &AdjustOpts) -> Result<DynamicImage, ImageError> {
    if let Some(s) = o.blur {
        if !(0.3..=1000.0).contains(&s) {
            return Err(ImageError::invalid(
                "blur",
                "must be a sigma from 0.3 to 1000",
            ));
        }
        img = img.fast_blur(s);
    }
    if let Some(s) = o.sharpen {
        // As Sharp's range; the unsharp mask's Gaussian grows with sigma.
        if !(0.01..=10.0).contains(&s) {
            return Err(ImageError::invalid(
                "sharpen",
                "must be a sigma from 0.01 to 10",
            ));
        }
        img = img.unsharpen(s, 2);
    }
    if o.grayscale {
        img = if img.color().has_alpha() {
            DynamicImage::ImageLumaA8(img.to_luma_alpha8())
        } else {
            DynamicImage::ImageLuma8(img.to_luma8())
        };
    }
    if let Some(b) = o.brightness {
        if !(0.0..=10.0).contains(&b) {
            return Err(ImageError::invalid(
                "brightness",
                "must be a multiplier from 0 to 10",
            ));
        }
        img = map_rgb(img, |c| c.map(|v| v * b));
    }
    if let Some(c) = o.contrast {
        if !(-100.0..=100.0).contains(&c) {
            return Err(ImageError::invalid(
                "contrast",
                "must be a percentage from -100 to 100",
            ));
        }
        img = img.adjust_contrast(c);
    }
    if let Some(s) = o.saturation {
        if !(0.0..=10.0).contains(&s) {
            return Err(ImageError::invalid(
                "saturation",
                "must be a multiplier from 0 to 10",
            ));
        }
        img = map_rgb(img, |c| {
            let l = lum(c);
            c.map(|v| l + (v - l) * s)
        });
    }
    if let Some(h) = o.hue {
        img = img.huerotate(h);
    }
    if let Some(g) = o.gamma {
        if !(0.1..=10.0).contains(&g) {
            return Err(ImageError::invalid("gamma", "must be from 0.1 to 10"));
        }
        let table: Vec<f32> = (0..256)
            .map(|v| 255.0 * (v as f32 / 255.0).powf(1.0 / g))
            .collect();
        img = map_rgb(img, |c| c.map(|v| table[v as usize]));
    }
    if o.negate {
        let alpha = img.color().has_alpha();
        img = map_rgb(img, |c| c.map(|v| 255.0 - v));
        if !alpha {
            img = DynamicImage::ImageRgb8(img.to_rgb8());
        }
    }
    if o.normalize {
        let rgb = img.to_rgb8();
        let mut hist = [0u64; 256];
        for p in rgb.pixels() {
            hist[usize::from(luma(p.0))] += 1;
        }
        let n: u64 = hist.iter().sum();
        let pct = |q: f64| {
            let mut acc = 0u64;
            for (i, c) in hist.iter().enumerate() {
                acc += c;
                if acc as f64 >= q * n as f64 {
                    return i as f32;
                }
            }
            255.0
        };
        let (lo, hi) = (pct(0.01), pct(0.99));
        if hi > lo {
            img = map_rgb(img, |c| c.map(|v| (v - lo) * 255.0 / (hi - lo)));
        }
    }
    if let Some(t) = o.threshold {
        let g = img.to_luma8();
        img = DynamicImage::ImageLuma8(image::GrayImage::from_fn(g.width(), g.height(), |x, y| {
            image::Luma([if g.get_pixel(x, y)[0] >= t { 255 } else { 0 }])
        }));
    }
    if let Some(t) = &o.tint {
        let t = color(t, "tint")?;
        img = map_rgb(img, |c| {
            let l = lum(c) / 255.0;
            [
                f32::from(t[0]) * l,
                f32::from(t[1]) * l,
                f32::from(t[2]) * l,
            ]
        });
    }
    Ok(img)
}

fn font(name: Option<&str>) -> Result<ab_glyph::FontRef<'static>, ImageError> {
    let bytes = match name.unwrap_or("sans") {
        "sans" => epaint_default_fonts::UBUNTU_LIGHT,
        "mono" => epaint_default_fonts::HACK_REGULAR,
        other => {
            return Err(ImageError::invalid(
                "font",
                format!("must be sans or mono; got {other:?}"),
            ));
        }
    };
    ab_glyph::FontRef::try_from_slice(bytes).map_err(|e| ImageError::internal(format!("font: {e}")))
}

/// Render `text` into an RGBA tile, refusing one larger than `max_pixels`.
fn text_tile(
    text: &str,
    size: f32,
    col: Rgba<u8>,
    f: &ab_glyph::FontRef,
    max_pixels: u64,
) -> Result<RgbaImage, ImageError> {
    use ab_glyph::{Font, ScaleFont};
    let sf = f.as_scaled(size);
    let mut x = 0.0f32;
    let mut glyphs = Vec::new();
    let mut last = None;
    for ch in text.chars() {
        let id = sf.glyph_id(ch);
        if let Some(prev) = last {
            x += sf.kern(prev, id);
        }
        glyphs.push(id.with_scale_and_position(size, ab_glyph::point(x, sf.ascent())));
        x += sf.h_advance(id);
        last = Some(id);
    }
    let w = (x.ceil() as u32).max(1);
    let h = ((sf.ascent() - sf.descent()).ceil() as u32).max(1);
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err(ImageError::impossible(
            "text",
            format!("renders {w} × {h} pixels at this size, over IMAGE_MAX_OUTPUT_PIXELS"),
        ));
    }
    let mut img = RgbaImage::from_pixel(w, h, Rgba([col[0], col[1], col[2], 0]));
    for g in glyphs {
        if let Some(o) = f.outline_glyph(g) {
            let b = o.px_bounds();
            o.draw(|gx, gy, cov| {
                let (px, py) = (
                    b.min.x as i64 + i64::from(gx),
                    b.min.y as i64 + i64::from(gy),
                );
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    let p = img.get_pixel_mut(px as u32, py as u32);
                    let a = (cov.clamp(0.0, 1.0) * f32::from(col[3])) as u8;
                    p[3] = p[3].max(a);
                }
            });
        }
    }
    Ok(img)
}

/// Overlay text or an image.
pub fn watermark(
    img: DynamicImage,
    o: &WatermarkOpts,
    overlay: Option<&DynamicImage>,
    max_pixels: u64,
) -> Result<DynamicImage, ImageError> {
    let (w, h) = img.dimensions();
    let (mut tile, default_opacity) = match (&o.text, overlay) {
        (Some(t), None) if !t.is_empty() => {
            if t.chars().count() > 1000 {
                return Err(ImageError::invalid(
                    "text",
                    "must be at most 1,000 characters",
                ));
            }
            let size = o.size.unwrap_or_else(|| (w.min(h) as f32 * 0.05).max(12.0));
            if !(4.0..=2000.0).contains(&size) {
                return Err(ImageError::invalid("size", "must be 4 to 2,000 pixels"));
            }
            let c = match &o.color {
                Some(c) => color(c, "color")?,
                None => Rgba([255, 255, 255, 255]),
            };
            (
                text_tile(t, size, c, &font(o.font.as_deref())?, max_pixels)?,
                0.5,
            )
        }
        (None, Some(ov)) => (ov.to_rgba8(), 1.0),
        (Some(_), Some(_)) => {
            return Err(ImageError::invalid(
                "text",
                "give `text` or an overlay image, not both",
            ));
        }
        _ => {
            return Err(ImageError::invalid(
                "text",
                "a watermark needs `text` or an `overlay` image",
            ));
        }
    };
    let opacity = o.opacity.unwrap_or(default_opacity);
    if !(0.0..=1.0).contains(&opacity) {
        return Err(ImageError::invalid("opacity", "must be from 0 to 1"));
    }
    for p in tile.pixels_mut() {
        p[3] = (f32::from(p[3]) * opacity).round() as u8;
    }
    let mut base = img.to_rgba8();
    let (tw, th) = tile.dimensions();
    if o.tile {
        let (sx, sy) = (tw + tw / 2 + 1, th * 3);
        let mut y = o.dy;
        while y < i64::from(h) {
            let mut x = o.dx;
            while x < i64::from(w) {
                image::imageops::overlay(&mut base, &tile, x, y);
                x += i64::from(sx);
            }
            y += i64::from(sy);
        }
    } else {
        let g = o.gravity.unwrap_or(Gravity::Southeast);
        let (fx, fy) = (i64::from(w) - i64::from(tw), i64::from(h) - i64::from(th));
        let (gx, gy) = gravity_offset(g, fx.max(0) as u32, fy.max(0) as u32);
        let sign = |v: i64, at_end: bool| if at_end { -v } else { v };
        let x = i64::from(gx)
            + sign(
                o.dx,
                matches!(g, Gravity::East | Gravity::Northeast | Gravity::Southeast),
            );
        let y = i64::from(gy)
            + sign(
                o.dy,
                matches!(g, Gravity::South | Gravity::Southeast | Gravity::Southwest),
            );
        image::imageops::overlay(&mut base, &tile, x, y);
    }
    Ok(if img.color().has_alpha() {
        DynamicImage::ImageRgba8(base)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(base).to_rgb8())
    })
}

/// Apply one step.
pub fn apply(
    img: DynamicImage,
    op: &Op,
    lim: &Limits,
    overlay: Option<&DynamicImage>,
) -> Result<DynamicImage, ImageError> {
    match op {
        Op::Resize(o) => resize(img, o, lim),
        Op::Crop(o) => crop(img, o),
        Op::Extend(o) => extend(img, o, lim),
        Op::Trim(o) => trim(img, o),
        Op::Rotate(o) => rotate(img, o, lim),
        Op::Flip => Ok(img.flipv()),
        Op::Flop => Ok(img.fliph()),
        Op::Adjust(o) => adjust(img, o),
        Op::Watermark(o) => watermark(img, o, overlay, lim.max_output_pixels),
    }
}
