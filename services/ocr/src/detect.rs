//! DB text detection as RapidOCR does it: the image scaled so its short side is at least 736
//! (sides in multiples of 32), normalised, one probability map out; then threshold 0.3, a 2 × 2
//! dilation, contours, minimum-area rectangles (short side at least 3), a box score (the mean
//! probability inside, at least 0.5), unclipped by area × 1.6 / perimeter, short side at least
//! 5, scaled back, corners clockwise, sorted top to bottom and left to right.

use image::RgbImage;
use rten_imageproc::{RetrievalMode, find_contours};
use rten_tensor::NdTensorView;

use crate::geometry::{Pt, grow, min_area_rect, order_clockwise};

/// The detector's settings (RapidOCR's defaults).
#[derive(Debug, Clone, Copy)]
pub struct DetParams {
    /// Short side the image is scaled up to.
    pub min_side: u32,
    /// Long side it is never scaled past (bounds the detector's memory on long strips).
    pub max_side: u32,
    /// Probability a pixel must pass to be text.
    pub threshold: f32,
    /// Mean probability a box must have.
    pub box_threshold: f32,
    /// How far a box grows (area × ratio / perimeter on each side).
    pub unclip_ratio: f32,
    /// Most boxes kept.
    pub max_candidates: usize,
}

impl Default for DetParams {
    fn default() -> Self {
        DetParams {
            min_side: 736,
            max_side: 4000,
            threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            max_candidates: 1000,
        }
    }
}

/// The detector's input size for an image `w` × `h`.
pub fn input_size(w: u32, h: u32, p: &DetParams) -> (u32, u32) {
    let (w, h) = (w.max(1) as f32, h.max(1) as f32);
    let mut ratio = if w.min(h) < p.min_side as f32 {
        p.min_side as f32 / w.min(h)
    } else {
        1.0
    };
    if w.max(h) * ratio > p.max_side as f32 {
        ratio = p.max_side as f32 / w.max(h);
    }
    let round32 = |v: f32| ((v / 32.0).round().max(1.0) * 32.0) as u32;
    (round32(w * ratio), round32(h * ratio))
}

/// The image as the detector's input: `[1, 3, h, w]`, BGR, `(x / 255 - 0.5) / 0.5`.
pub fn input(img: &RgbImage, w: u32, h: u32) -> Vec<f32> {
    let scaled = image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle);
    let plane = (w * h) as usize;
    let mut out = vec![0f32; 3 * plane];
    for (i, p) in scaled.pixels().enumerate() {
        for (c, channel) in [2usize, 1, 0].into_iter().enumerate() {
            out[c * plane + i] = (f32::from(p.0[channel]) / 255.0 - 0.5) / 0.5;
        }
    }
    out
}

/// Text boxes from the probability `map` (`mw` × `mh`), in the coordinates of the original
/// image (`w` × `h`).
pub fn boxes(map: &[f32], mw: usize, mh: usize, w: u32, h: u32, p: &DetParams) -> Vec<[Pt; 4]> {
    if map.len() < mw * mh || mw == 0 || mh == 0 {
        return Vec::new();
    }
    // Threshold, then dilate with a 2 × 2 kernel (a pixel is set when it or its left, upper or
    // upper-left neighbour is).
    let bits: Vec<bool> = map[..mw * mh].iter().map(|v| *v > p.threshold).collect();
    let mut mask = bits.clone();
    for y in 0..mh {
        for x in 0..mw {
            let i = y * mw + x;
            mask[i] = bits[i]
                || (x > 0 && bits[i - 1])
                || (y > 0 && bits[i - mw])
                || (x > 0 && y > 0 && bits[i - mw - 1]);
        }
    }
    let view = NdTensorView::from_data([mh, mw], mask.as_slice());
    let contours = find_contours(view, RetrievalMode::List);
    let (sx, sy) = (w as f32 / mw as f32, h as f32 / mh as f32);
    let mut out = Vec::new();
    for poly in contours.iter().take(p.max_candidates) {
        let pts: Vec<Pt> = poly.iter().map(|q| [q.x as f32, q.y as f32]).collect();
        let Some((corners, rw, rh)) = min_area_rect(&pts) else {
            continue;
        };
        if rw.min(rh) < 3.0 {
            continue;
        }
        if score(map, mw, mh, &corners) < p.box_threshold {
            continue;
        }
        // Unclip: each side moves out by area × ratio / perimeter.
        let d = rw * rh * p.unclip_ratio / (2.0 * (rw + rh));
        if rw.min(rh) + 2.0 * d < 5.0 {
            continue;
        }
        let q = grow(&corners, d).map(|c| {
            [
                (c[0] * sx).round().clamp(0.0, w as f32),
                (c[1] * sy).round().clamp(0.0, h as f32),
            ]
        });
        let q = order_clockwise(q);
        let side = |a: Pt, b: Pt| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        if side(q[0], q[1]) <= 3.0 || side(q[0], q[3]) <= 3.0 {
            continue;
        }
        out.push(q);
    }
    sort_reading_order(&mut out);
    out
}

/// Mean probability inside the quadrilateral `q` (map coordinates).
fn score(map: &[f32], mw: usize, mh: usize, q: &[Pt; 4]) -> f32 {
    let xs = q.iter().map(|p| p[0]);
    let ys = q.iter().map(|p| p[1]);
    let x0 = xs.clone().fold(f32::MAX, f32::min).floor().max(0.0) as usize;
    let x1 = (xs.fold(f32::MIN, f32::max).ceil() as usize).min(mw - 1);
    let y0 = ys.clone().fold(f32::MAX, f32::min).floor().max(0.0) as usize;
    let y1 = (ys.fold(f32::MIN, f32::max).ceil() as usize).min(mh - 1);
    let (mut sum, mut n) = (0f32, 0usize);
    for y in y0..=y1 {
        for x in x0..=x1 {
            if inside(q, [x as f32, y as f32]) {
                sum += map[y * mw + x];
                n += 1;
            }
        }
    }
    if n == 0 { 0.0 } else { sum / n as f32 }
}

/// Whether `p` is inside the convex quadrilateral `q` (either winding), edges included.
fn inside(q: &[Pt; 4], p: Pt) -> bool {
    let mut sign = 0f32;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
        if cross.abs() < 1e-6 {
            continue;
        }
        if sign == 0.0 {
            sign = cross.signum();
        } else if cross.signum() != sign {
            return false;
        }
    }
    true
}

/// Top to bottom by the top-left corner, and left to right among boxes whose tops are within
/// 10 pixels (RapidOCR's order).
pub fn sort_reading_order(boxes: &mut [[Pt; 4]]) {
    boxes.sort_by(|a, b| {
        a[0][1]
            .total_cmp(&b[0][1])
            .then(a[0][0].total_cmp(&b[0][0]))
    });
    // One bubble pass per box, as RapidOCR's sort does.
    for i in 0..boxes.len() {
        let mut j = i;
        while j > 0 {
            let (prev, cur) = (boxes[j - 1], boxes[j]);
            if (cur[0][1] - prev[0][1]).abs() < 10.0 && cur[0][0] < prev[0][0] {
                boxes.swap(j - 1, j);
                j -= 1;
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_rapidocr() {
        let p = DetParams::default();
        // Small images grow to a 736 short side, in multiples of 32.
        assert_eq!(input_size(400, 100, &p), (2944, 736));
        assert_eq!(input_size(1000, 1000, &p), (992, 992));
        // A long strip is held at 4000 on its long side.
        assert_eq!(input_size(8000, 100, &p), (4000, 64));
    }

    #[test]
    fn a_blob_in_the_map_is_one_box_scaled_back() {
        let (mw, mh) = (64usize, 32usize);
        let mut map = vec![0f32; mw * mh];
        for y in 10..20 {
            for x in 8..50 {
                map[y * mw + x] = 0.9;
            }
        }
        let b = boxes(&map, mw, mh, 128, 64, &DetParams::default());
        assert_eq!(b.len(), 1, "{b:?}");
        let q = b[0];
        // Doubled, and grown by the unclip distance around the blob.
        assert!(q[0][0] < 16.0 && q[0][1] < 20.0, "{q:?}");
        assert!(q[2][0] > 98.0 && q[2][1] > 40.0, "{q:?}");
    }
}
